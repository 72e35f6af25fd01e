import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { ShoppingCart } from '../domain/shopping-cart.aggregate';
import { OpenCart } from './open-cart.command';

@CommandHandler(OpenCart)
export class OpenCartHandler implements ICommandHandler<OpenCart> {
  constructor(private readonly carts: AggregateRepository) {}

  execute({ cartId, customerId, context }: OpenCart): Promise<CommandResult> {
    return this.carts.create(ShoppingCart.open(cartId, customerId), context);
  }
}
