import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { Projection, ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { CartCheckedOut, CartOpened, ItemAddedToCart, ItemRemovedFromCart } from '../../domain/shopping-cart.events';
import { applyLineChange, totalOf } from '../cart-lines';
import { CartDetails } from './cart-details.entity';

export const CART_DETAILS = 'cart-details';

/** Keeps one `cart_details` row per cart, with its lines and total. */
@Injectable()
@ProjectionOf({ name: CART_DETAILS })
export class CartDetailsProjection implements Projection {
  async apply({ event, streamVersion }: RecordedEvent, manager: EntityManager): Promise<void> {
    if (event instanceof CartOpened) {
      const exists = await manager.existsBy(CartDetails, { cartId: event.cartId });
      if (!exists) {
        await manager.insert(CartDetails, {
          cartId: event.cartId,
          customerId: event.customerId,
          status: 'open',
          items: [],
          totalCents: 0,
          version: streamVersion,
        });
      }
      return;
    }
    if (!(
      event instanceof ItemAddedToCart ||
      event instanceof ItemRemovedFromCart ||
      event instanceof CartCheckedOut
    )) {
      return;
    }
    const cart = await manager.findOneBy(CartDetails, { cartId: event.cartId });
    if (cart === null || cart.version >= streamVersion) return;
    const items = event instanceof CartCheckedOut ? cart.items : applyLineChange(cart.items, event);
    await manager.update(
      CartDetails,
      { cartId: cart.cartId },
      {
        items,
        totalCents: totalOf(items),
        status: event instanceof CartCheckedOut ? 'checked_out' : cart.status,
        version: streamVersion,
      },
    );
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.clear(CartDetails);
  }
}
