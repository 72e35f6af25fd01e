import { Query } from '@nestjs/cqrs';

export interface CustomerCartView {
  cartId: string;
  status: 'open' | 'checked_out';
  itemCount: number;
  totalCents: number;
  currency: string;
  version: number;
}

export class ListCustomerCarts extends Query<CustomerCartView[]> {
  constructor(
    readonly customerId: string,
    readonly consistentWith?: number,
  ) {
    super();
  }
}
