import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { ShoppingCart } from '../domain/shopping-cart.aggregate';
import { AddItemToCart } from './add-item-to-cart.command';

@CommandHandler(AddItemToCart)
export class AddItemToCartHandler implements ICommandHandler<AddItemToCart> {
  constructor(private readonly carts: AggregateRepository) {}

  execute({ cartId, productId, quantity, unitPriceCents, context }: AddItemToCart): Promise<CommandResult> {
    return this.carts.update(ShoppingCart, cartId, context, (cart) =>
      cart.addItem(productId, quantity, unitPriceCents),
    );
  }
}
