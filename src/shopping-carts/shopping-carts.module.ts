import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AddItemToCartHandler } from './commands/add-item-to-cart.handler';
import { CheckOutCartHandler } from './commands/check-out-cart.handler';
import { OpenCartHandler } from './commands/open-cart.handler';
import { RemoveItemFromCartHandler } from './commands/remove-item-from-cart.handler';
import { ShoppingCartsController } from './http/shopping-carts.controller';
import { GetCartAtVersionHandler } from './read-models/cart-history/get-cart-at-version.handler';
import { CartDetails } from './read-models/cart-details/cart-details.entity';
import { CartDetailsProjection } from './read-models/cart-details/cart-details.projection';
import { GetCartHandler } from './read-models/cart-details/get-cart.handler';
import { CustomerCart } from './read-models/customer-carts/customer-cart.entity';
import { CustomerCartsProjection } from './read-models/customer-carts/customer-carts.projection';
import { ListCustomerCartsHandler } from './read-models/customer-carts/list-customer-carts.handler';

export const commandHandlers = [OpenCartHandler, AddItemToCartHandler, RemoveItemFromCartHandler, CheckOutCartHandler];
export const queryHandlers = [GetCartHandler, ListCustomerCartsHandler, GetCartAtVersionHandler];
export const projections = [CartDetailsProjection, CustomerCartsProjection];

/** The shopping-carts bounded context: open a cart, add and remove items, check out. */
@Module({
  imports: [TypeOrmModule.forFeature([CartDetails, CustomerCart])],
  controllers: [ShoppingCartsController],
  providers: [...commandHandlers, ...queryHandlers, ...projections],
})
export class ShoppingCartsModule {}
