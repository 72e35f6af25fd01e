import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../../event-sourcing/aggregate-repository';
import { EventStore } from '../../../event-sourcing/event-store';
import { isErased } from '../../../event-sourcing/personal-data/personal-data';
import { Order } from '../../domain/order.aggregate';
import { OrderPlaced } from '../../domain/order.events';
import { OrderView, orderView } from '../order-view';
import { GetOrderAtVersion } from './get-order-at-version.query';

/**
 * Rebuilds the aggregate instead of reading a table, because the past has no table. The contact comes from
 * the order's first event, read as it reads now: the aggregate keeps no personal data, and an erased
 * contact stays erased in every past version too.
 */
@QueryHandler(GetOrderAtVersion)
export class GetOrderAtVersionHandler implements IQueryHandler<GetOrderAtVersion> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly events: EventStore,
  ) {}

  async execute({ orderId, version }: GetOrderAtVersion): Promise<OrderView> {
    const order = await this.repository.load(Order, orderId, { toVersion: version });
    const [first] = await this.events.readStream(`${Order.streamCategory}-${orderId}`, { toVersion: 1 });
    const placed = first?.event instanceof OrderPlaced ? first.event : undefined;
    const erased = placed !== undefined && isErased(placed);
    return orderView({
      orderId,
      cartId: order.cartId,
      customerId: order.customerId,
      status: order.status,
      lines: order.lines,
      totalCents: order.totalCents,
      currency: order.currency,
      email: erased ? null : (placed?.email ?? null),
      shippingAddress: erased ? null : (placed?.shippingAddress ?? null),
      erased,
      version: order.version,
    });
  }
}
