import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { AggregateAlreadyExists } from '../../event-sourcing/event-sourcing.errors';
import { Order } from '../domain/order.aggregate';
import { PlaceOrder } from './place-order.command';

/**
 * Places the order of a checked-out cart. The order id derives from the cart id, so placing the same
 * cart's order again finds it already there: that is success, not an error, and appends nothing.
 */
@CommandHandler(PlaceOrder)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrder> {
  constructor(private readonly orders: AggregateRepository) {}

  async execute({
    cartId,
    customerId,
    lines,
    totalCents,
    currency,
    contact,
    context,
  }: PlaceOrder): Promise<CommandResult> {
    try {
      return await this.orders.create(Order.place(cartId, customerId, lines, totalCents, currency, contact), context);
    } catch (error) {
      if (!(error instanceof AggregateAlreadyExists)) throw error;
      const orderId = Order.idForCart(cartId);
      return { aggregateId: orderId, version: 1, position: await this.orders.positionOf(Order, orderId, 1) };
    }
  }
}
