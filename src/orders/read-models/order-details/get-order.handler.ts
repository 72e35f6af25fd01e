import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateNotFound } from '../../../event-sourcing/event-sourcing.errors';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { PrimaryKeyLookup } from '../../../event-sourcing/typeorm/primary-key-lookup';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import { OrderView, orderView } from '../order-view';
import { GetOrder } from './get-order.query';
import { OrderDetails } from './order-details.entity';
import { ORDER_DETAILS } from './order-details.projection';

@QueryHandler(GetOrder)
export class GetOrderHandler implements IQueryHandler<GetOrder> {
  private readonly orders: PrimaryKeyLookup<OrderDetails>;

  constructor(
    private readonly subscriptions: SubscriptionRunner,
    transactions: Transactions,
  ) {
    this.orders = new PrimaryKeyLookup(transactions, OrderDetails);
  }

  async execute({ orderId, consistentWith }: GetOrder): Promise<OrderView> {
    if (consistentWith !== undefined) await this.subscriptions.waitFor(ORDER_DETAILS, consistentWith);
    const order = await this.orders.find(orderId);
    if (order === null) throw new AggregateNotFound('Order', orderId);
    return orderView(order);
  }
}
