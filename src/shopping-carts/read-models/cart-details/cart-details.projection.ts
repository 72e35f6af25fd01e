import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { Projection, ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { CartOpened } from '../../domain/shopping-cart.events';
import { cartRowAfter, isCartChange } from '../cart-lines';
import { CartDetails } from './cart-details.entity';

export const CART_DETAILS = 'cart-details';

/** Keeps one `cart_details` row per cart, with its lines and total. */
@Injectable()
@ProjectionOf({ name: CART_DETAILS })
export class CartDetailsProjection implements Projection {
  async apply({ event, streamVersion }: RecordedEvent, manager: EntityManager): Promise<void> {
    if (event instanceof CartOpened) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(CartDetails)
        .values({
          cartId: event.cartId,
          customerId: event.customerId,
          status: 'open',
          items: [],
          totalCents: 0,
          version: streamVersion,
        })
        .orIgnore()
        .execute();
    } else if (isCartChange(event)) {
      const cart = await manager.findOneBy(CartDetails, { cartId: event.cartId });
      const next = cart && cartRowAfter(cart, event, streamVersion);
      if (next) await manager.update(CartDetails, { cartId: event.cartId }, next);
    }
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.clear(CartDetails);
  }
}
