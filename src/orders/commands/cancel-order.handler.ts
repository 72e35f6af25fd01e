import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { Order } from '../domain/order.aggregate';
import { CancelOrder } from './cancel-order.command';

@CommandHandler(CancelOrder)
export class CancelOrderHandler implements ICommandHandler<CancelOrder> {
  constructor(private readonly orders: AggregateRepository) {}

  execute({ orderId, reason, context }: CancelOrder): Promise<CommandResult> {
    return this.orders.update(Order, orderId, context, (order) => order.cancel(reason));
  }
}
