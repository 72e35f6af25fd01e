import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { ShoppingCart } from '../domain/shopping-cart.aggregate';
import { RemoveItemFromCart } from './remove-item-from-cart.command';

@CommandHandler(RemoveItemFromCart)
export class RemoveItemFromCartHandler implements ICommandHandler<RemoveItemFromCart> {
  constructor(private readonly carts: AggregateRepository) {}

  execute({ cartId, productId, quantity, context }: RemoveItemFromCart): Promise<CommandResult> {
    return this.carts.update(ShoppingCart, cartId, context, (cart) => cart.removeItem(productId, quantity));
  }
}
