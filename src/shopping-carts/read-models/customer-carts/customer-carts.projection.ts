import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { Projection, ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { CartCheckedOut, CartOpened, ItemAddedToCart, ItemRemovedFromCart } from '../../domain/shopping-cart.events';
import { applyLineChange, totalOf } from '../cart-lines';
import { CustomerCart } from './customer-cart.entity';

export const CUSTOMER_CARTS = 'customer-carts';

/** Keeps a summary row per cart for listing a customer's carts. */
@Injectable()
@ProjectionOf({ name: CUSTOMER_CARTS })
export class CustomerCartsProjection implements Projection {
  async apply({ event, streamVersion, position }: RecordedEvent, manager: EntityManager): Promise<void> {
    if (event instanceof CartOpened) {
      const exists = await manager.existsBy(CustomerCart, { cartId: event.cartId });
      if (!exists) {
        await manager.insert(CustomerCart, {
          cartId: event.cartId,
          customerId: event.customerId,
          status: 'open',
          itemCount: 0,
          totalCents: 0,
          lines: [],
          version: streamVersion,
          openedPosition: position,
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
    const cart = await manager.findOneBy(CustomerCart, { cartId: event.cartId });
    if (cart === null || cart.version >= streamVersion) return;
    const lines = event instanceof CartCheckedOut ? cart.lines : applyLineChange(cart.lines, event);
    await manager.update(
      CustomerCart,
      { cartId: cart.cartId },
      {
        lines,
        itemCount: lines.reduce((count, line) => count + line.quantity, 0),
        totalCents: totalOf(lines),
        status: event instanceof CartCheckedOut ? 'checked_out' : cart.status,
        version: streamVersion,
      },
    );
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.clear(CustomerCart);
  }
}
