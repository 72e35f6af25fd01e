import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { Projection, ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { CartOpened } from '../../domain/shopping-cart.events';
import { cartRowAfter, isCartChange } from '../cart-lines';
import { CustomerCart } from './customer-cart.entity';

export const CUSTOMER_CARTS = 'customer-carts';

/** Keeps a summary row per cart for listing a customer's carts, newest first. */
@Injectable()
@ProjectionOf({ name: CUSTOMER_CARTS })
export class CustomerCartsProjection implements Projection {
  async apply({ event, streamVersion, position }: RecordedEvent, manager: EntityManager): Promise<void> {
    if (event instanceof CartOpened) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(CustomerCart)
        .values({
          cartId: event.cartId,
          customerId: event.customerId,
          status: 'open',
          itemCount: 0,
          totalCents: 0,
          items: [],
          version: streamVersion,
          openedPosition: position,
        })
        .orIgnore()
        .execute();
    } else if (isCartChange(event)) {
      const cart = await manager.findOneBy(CustomerCart, { cartId: event.cartId });
      const next = cart && cartRowAfter(cart, event, streamVersion);
      if (next) {
        const itemCount = next.items.reduce((count, line) => count + line.quantity, 0);
        await manager.update(CustomerCart, { cartId: event.cartId }, { ...next, itemCount });
      }
    }
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.clear(CustomerCart);
  }
}
