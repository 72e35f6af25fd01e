import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../../event-sourcing/aggregate-repository';
import { Order } from '../../domain/order.aggregate';
import { OrderView, orderView } from '../order-view';
import { GetOrderAtVersion } from './get-order-at-version.query';

/** Rebuilds the aggregate instead of reading a table, because the past has no table. */
@QueryHandler(GetOrderAtVersion)
export class GetOrderAtVersionHandler implements IQueryHandler<GetOrderAtVersion> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ orderId, version }: GetOrderAtVersion): Promise<OrderView> {
    const order = await this.repository.load(Order, orderId, { toVersion: version });
    return orderView({
      orderId,
      cartId: order.cartId,
      customerId: order.customerId,
      status: order.status,
      lines: order.lines,
      totalCents: order.totalCents,
      currency: order.currency,
      version: order.version,
    });
  }
}
