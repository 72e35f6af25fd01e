import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { Order } from '../domain/order.aggregate';
import { ShipOrder } from './ship-order.command';

@CommandHandler(ShipOrder)
export class ShipOrderHandler implements ICommandHandler<ShipOrder> {
  constructor(private readonly orders: AggregateRepository) {}

  execute({ orderId, context }: ShipOrder): Promise<CommandResult> {
    return this.orders.update(Order, orderId, context, (order) => order.ship());
  }
}
