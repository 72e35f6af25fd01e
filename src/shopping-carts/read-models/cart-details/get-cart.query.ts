import { Query } from '@nestjs/cqrs';
import type { CartView } from '../cart-view';

export class GetCart extends Query<CartView> {
  constructor(
    readonly cartId: string,
    /** Answer only once the read model has applied this position. */
    readonly consistentWith?: number,
  ) {
    super();
  }
}
