import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { RowProjection } from '../../../event-sourcing/subscriptions/row-projection';
import { OrderCancelled, OrderPaid, OrderPlaced, OrderShipped } from '../../domain/order.events';
import type { OrderStatusView } from '../order-view';
import { OrderDetails } from './order-details.entity';

export const ORDER_DETAILS = 'order-details';

type OrderEvent = OrderPlaced | OrderPaid | OrderShipped | OrderCancelled;

const STATUS_AFTER = new Map<unknown, OrderStatusView>([
  [OrderPaid, 'paid'],
  [OrderShipped, 'shipped'],
  [OrderCancelled, 'cancelled'],
]);

/** Keeps one `order_details` row per order. */
@Injectable()
@ProjectionOf({ name: ORDER_DETAILS })
export class OrderDetailsProjection extends RowProjection<OrderDetails> {
  protected readonly entity = OrderDetails;
  protected readonly key = 'orderId';

  protected keyOf({ event }: RecordedEvent): string | undefined {
    return event instanceof OrderPlaced || STATUS_AFTER.has(event.constructor)
      ? (event as OrderEvent).orderId
      : undefined;
  }

  protected evolve(
    order: OrderDetails | undefined,
    { event, streamVersion, position }: RecordedEvent,
  ): OrderDetails | undefined {
    if (event instanceof OrderPlaced) {
      if (order !== undefined) return undefined;
      return Object.assign(new OrderDetails(), {
        orderId: event.orderId,
        cartId: event.cartId,
        customerId: event.customerId,
        status: 'placed',
        lines: event.lines,
        totalCents: event.totalCents,
        currency: event.currency,
        version: streamVersion,
        placedPosition: position,
      });
    }
    const status = STATUS_AFTER.get(event.constructor);
    if (order === undefined || status === undefined || order.version >= streamVersion) return undefined;
    return Object.assign(new OrderDetails(), order, { status, version: streamVersion });
  }
}
