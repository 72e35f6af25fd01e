import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { RowProjection } from '../../../event-sourcing/subscriptions/row-projection';
import { CartOpened } from '../../domain/shopping-cart.events';
import { cartRowAfter, isCartChange } from '../cart-lines';
import { CartDetails } from './cart-details.entity';

export const CART_DETAILS = 'cart-details';

/** Keeps one `cart_details` row per cart, with its lines and total. */
@Injectable()
@ProjectionOf({ name: CART_DETAILS })
export class CartDetailsProjection extends RowProjection<CartDetails> {
  protected readonly entity = CartDetails;
  protected readonly key = 'cartId';

  protected keyOf({ event }: RecordedEvent): string | undefined {
    return event instanceof CartOpened || isCartChange(event) ? event.cartId : undefined;
  }

  protected evolve(cart: CartDetails | undefined, { event, streamVersion }: RecordedEvent): CartDetails | undefined {
    if (event instanceof CartOpened) {
      if (cart !== undefined) return undefined;
      return Object.assign(new CartDetails(), {
        cartId: event.cartId,
        customerId: event.customerId,
        currency: event.currency,
        status: 'open',
        items: [],
        totalCents: 0,
        version: streamVersion,
      });
    }
    const next = cart && isCartChange(event) ? cartRowAfter(cart, event, streamVersion) : undefined;
    return next && Object.assign(new CartDetails(), cart, next);
  }
}
