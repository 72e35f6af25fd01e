import { Query } from '@nestjs/cqrs';
import type { CartView } from '../cart-view';

/** The cart as it was right after its `version`th event: time travel through the event store. */
export class GetCartAtVersion extends Query<CartView> {
  constructor(
    readonly cartId: string,
    readonly version: number,
  ) {
    super();
  }
}
