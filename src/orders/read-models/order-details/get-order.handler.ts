import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateNotFound } from '../../../event-sourcing/event-sourcing.errors';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import { OrderView, orderView } from '../order-view';
import { GetOrder } from './get-order.query';
import { OrderDetails } from './order-details.entity';
import { ORDER_DETAILS } from './order-details.projection';

@QueryHandler(GetOrder)
export class GetOrderHandler implements IQueryHandler<GetOrder> {
  constructor(
    private readonly subscriptions: SubscriptionRunner,
    private readonly transactions: Transactions,
  ) {}

  async execute({ orderId, consistentWith }: GetOrder): Promise<OrderView> {
    if (consistentWith !== undefined) await this.subscriptions.waitFor(ORDER_DETAILS, consistentWith);
    const order = await this.transactions.read((manager) => manager.findOneBy(OrderDetails, { orderId }));
    if (order === null) throw new AggregateNotFound('Order', orderId);
    return orderView(order);
  }
}
