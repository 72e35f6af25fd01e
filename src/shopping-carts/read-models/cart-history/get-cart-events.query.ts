import { Query } from '@nestjs/cqrs';
import type { EventMetadata } from '../../../event-sourcing/event-store';

export interface CartEventView {
  position: number;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: string;
}

/** Every event of one cart, oldest first. */
export class GetCartEvents extends Query<CartEventView[]> {
  constructor(readonly cartId: string) {
    super();
  }
}
