import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { ShoppingCart } from '../domain/shopping-cart.aggregate';
import { OpenCart } from './open-cart.command';

@CommandHandler(OpenCart)
export class OpenCartHandler implements ICommandHandler<OpenCart> {
  constructor(private readonly carts: AggregateRepository) {}

  // Async, so a refused currency rejects the command's promise instead of throwing out of the bus.
  async execute({ cartId, customerId, currency, context }: OpenCart): Promise<CommandResult> {
    return await this.carts.create(ShoppingCart.open(cartId, customerId, currency), context);
  }
}
