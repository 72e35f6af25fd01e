import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import { OrderView, orderView } from '../order-view';
import { ListOrders } from './list-orders.query';
import { OrderDetails } from './order-details.entity';
import { ORDER_DETAILS } from './order-details.projection';

@QueryHandler(ListOrders)
export class ListOrdersHandler implements IQueryHandler<ListOrders> {
  constructor(
    private readonly subscriptions: SubscriptionRunner,
    private readonly transactions: Transactions,
  ) {}

  async execute({ filter, consistentWith }: ListOrders): Promise<OrderView[]> {
    if (consistentWith !== undefined) await this.subscriptions.waitFor(ORDER_DETAILS, consistentWith);
    const orders = await this.transactions.read((manager) =>
      manager.find(OrderDetails, { where: { ...filter }, order: { placedPosition: 'DESC' }, take: 1000 }),
    );
    return orders.map(orderView);
  }
}
