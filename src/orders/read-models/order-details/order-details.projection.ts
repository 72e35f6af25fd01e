import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { Projection, ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { OrderCancelled, OrderPaid, OrderPlaced, OrderShipped } from '../../domain/order.events';
import type { OrderStatusView } from '../order-view';
import { OrderDetails } from './order-details.entity';

export const ORDER_DETAILS = 'order-details';

const STATUS_AFTER = new Map<unknown, OrderStatusView>([
  [OrderPaid, 'paid'],
  [OrderShipped, 'shipped'],
  [OrderCancelled, 'cancelled'],
]);

/** Keeps one `order_details` row per order. */
@Injectable()
@ProjectionOf({ name: ORDER_DETAILS })
export class OrderDetailsProjection implements Projection {
  async apply({ event, streamVersion, position }: RecordedEvent, manager: EntityManager): Promise<void> {
    if (event instanceof OrderPlaced) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(OrderDetails)
        .values({
          orderId: event.orderId,
          cartId: event.cartId,
          customerId: event.customerId,
          status: 'placed',
          lines: event.lines,
          totalCents: event.totalCents,
          version: streamVersion,
          placedPosition: position,
        })
        .orIgnore()
        .execute();
      return;
    }
    const status = STATUS_AFTER.get(event.constructor);
    if (status === undefined) return;
    const { orderId } = event as OrderPaid | OrderShipped | OrderCancelled;
    await manager
      .createQueryBuilder()
      .update(OrderDetails)
      .set({ status, version: streamVersion })
      .where('order_id = :orderId AND version < :version', { orderId, version: streamVersion })
      .execute();
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.clear(OrderDetails);
  }
}
