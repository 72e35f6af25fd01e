import { Query } from '@nestjs/cqrs';
import type { OrderView } from '../order-view';

/** Orders of a customer, or of a cart, newest first. */
export class ListOrders extends Query<OrderView[]> {
  constructor(
    readonly filter: { customerId?: string; cartId?: string },
    readonly consistentWith?: number,
  ) {
    super();
  }
}
