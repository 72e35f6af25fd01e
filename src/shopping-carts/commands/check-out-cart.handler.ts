import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { ShoppingCart } from '../domain/shopping-cart.aggregate';
import { CheckOutCart } from './check-out-cart.command';

@CommandHandler(CheckOutCart)
export class CheckOutCartHandler implements ICommandHandler<CheckOutCart> {
  constructor(private readonly carts: AggregateRepository) {}

  execute({ cartId, contact, context }: CheckOutCart): Promise<CommandResult> {
    return this.carts.update(ShoppingCart, cartId, context, (cart) => cart.checkOut(contact));
  }
}
