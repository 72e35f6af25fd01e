import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { RowProjection } from '../../../event-sourcing/subscriptions/row-projection';
import { CartOpened } from '../../domain/shopping-cart.events';
import { cartRowAfter, isCartChange } from '../cart-lines';
import { CustomerCart } from './customer-cart.entity';

export const CUSTOMER_CARTS = 'customer-carts';

/** Keeps a summary row per cart for listing a customer's carts, newest first. */
@Injectable()
@ProjectionOf({ name: CUSTOMER_CARTS })
export class CustomerCartsProjection extends RowProjection<CustomerCart> {
  protected readonly entity = CustomerCart;
  protected readonly key = 'cartId';

  protected keyOf({ event }: RecordedEvent): string | undefined {
    return event instanceof CartOpened || isCartChange(event) ? event.cartId : undefined;
  }

  protected evolve(
    cart: CustomerCart | undefined,
    { event, streamVersion, position }: RecordedEvent,
  ): CustomerCart | undefined {
    if (event instanceof CartOpened) {
      if (cart !== undefined) return undefined;
      return Object.assign(new CustomerCart(), {
        cartId: event.cartId,
        customerId: event.customerId,
        currency: event.currency,
        status: 'open',
        itemCount: 0,
        totalCents: 0,
        items: [],
        version: streamVersion,
        openedPosition: position,
      });
    }
    const next = cart && isCartChange(event) ? cartRowAfter(cart, event, streamVersion) : undefined;
    if (next === undefined) return undefined;
    const itemCount = next.items.reduce((count, line) => count + line.quantity, 0);
    return Object.assign(new CustomerCart(), cart, next, { itemCount });
  }
}
