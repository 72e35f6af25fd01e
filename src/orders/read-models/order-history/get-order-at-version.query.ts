import { Query } from '@nestjs/cqrs';
import type { OrderView } from '../order-view';

/** The order as it was right after its `version`th event: time travel through the event store. */
export class GetOrderAtVersion extends Query<OrderView> {
  constructor(
    readonly orderId: string,
    readonly version: number,
  ) {
    super();
  }
}
