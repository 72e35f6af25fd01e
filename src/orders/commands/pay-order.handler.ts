import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { Order } from '../domain/order.aggregate';
import { PayOrder } from './pay-order.command';

@CommandHandler(PayOrder)
export class PayOrderHandler implements ICommandHandler<PayOrder> {
  constructor(private readonly orders: AggregateRepository) {}

  execute({ orderId, amountCents, context }: PayOrder): Promise<CommandResult> {
    return this.orders.update(Order, orderId, context, (order) => order.pay(amountCents));
  }
}
