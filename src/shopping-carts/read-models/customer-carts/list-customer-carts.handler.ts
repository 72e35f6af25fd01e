import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import { CustomerCart } from './customer-cart.entity';
import { CUSTOMER_CARTS } from './customer-carts.projection';
import { CustomerCartView, ListCustomerCarts } from './list-customer-carts.query';

@QueryHandler(ListCustomerCarts)
export class ListCustomerCartsHandler implements IQueryHandler<ListCustomerCarts> {
  constructor(
    private readonly subscriptions: SubscriptionRunner,
    private readonly transactions: Transactions,
  ) {}

  async execute({ customerId, consistentWith }: ListCustomerCarts): Promise<CustomerCartView[]> {
    if (consistentWith !== undefined) await this.subscriptions.waitFor(CUSTOMER_CARTS, consistentWith);
    const carts = await this.transactions.read((manager) =>
      manager.find(CustomerCart, { where: { customerId }, order: { openedPosition: 'DESC' } }),
    );
    return carts.map(({ cartId, status, itemCount, totalCents, currency, version }) => ({
      cartId,
      status,
      itemCount,
      totalCents,
      currency,
      version,
    }));
  }
}
