import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateNotFound } from '../../../event-sourcing/event-sourcing.errors';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { PrimaryKeyLookup } from '../../../event-sourcing/typeorm/primary-key-lookup';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import type { CartView } from '../cart-view';
import { CartDetails } from './cart-details.entity';
import { CART_DETAILS } from './cart-details.projection';
import { GetCart } from './get-cart.query';

@QueryHandler(GetCart)
export class GetCartHandler implements IQueryHandler<GetCart> {
  private readonly carts: PrimaryKeyLookup<CartDetails>;

  constructor(
    private readonly subscriptions: SubscriptionRunner,
    transactions: Transactions,
  ) {
    this.carts = new PrimaryKeyLookup(transactions, CartDetails);
  }

  async execute({ cartId, consistentWith }: GetCart): Promise<CartView> {
    if (consistentWith !== undefined) await this.subscriptions.waitFor(CART_DETAILS, consistentWith);
    const cart = await this.carts.find(cartId);
    if (cart === null) throw new AggregateNotFound('ShoppingCart', cartId);
    return cart;
  }
}
