import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import type { PostgresUnit, SqliteUnit } from '../../../event-sourcing/subscriptions/projection';
import { RowProjection } from '../../../event-sourcing/subscriptions/row-projection';
import { CustomerPersonalDataErased } from '../../../customers/domain/customer.events';
import { isErased } from '../../../event-sourcing/personal-data/personal-data';
import { shippingAddressOf } from '../../../shopping-carts/domain/checkout-contact';
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

const ERASE_SQLITE = 'UPDATE order_details SET email = NULL, shipping_address = NULL, erased = 1 WHERE customer_id = ?';

/**
 * Keeps one `order_details` row per order, with the contact of its checkout. When a customer's personal
 * data is erased, every order of theirs drops its copy: the row keeps no plaintext that the event log no
 * longer gives, and a rebuild from 0 (which reads those events as erased) ends in the same rows.
 */
@Injectable()
@ProjectionOf({ name: ORDER_DETAILS })
export class OrderDetailsProjection extends RowProjection<OrderDetails> {
  protected readonly entity = OrderDetails;
  protected readonly key = 'orderId';

  override handles(recorded: RecordedEvent): boolean {
    return recorded.event instanceof CustomerPersonalDataErased || super.handles(recorded);
  }

  // An erasure concerns every row of a customer, not one key: the batch is applied in runs around it, so
  // the rows an erasure clears are those the events before it left, and the events after it see them cleared.
  override async applyBatch(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const run of runsAroundErasures(events)) {
      if (run instanceof CustomerPersonalDataErased) {
        await manager.update(
          OrderDetails,
          { customerId: run.customerId },
          { email: null, shippingAddress: null, erased: true },
        );
      } else await super.applyBatch(run, manager);
    }
  }

  override applyBatchSqlite(events: readonly RecordedEvent[], unit: SqliteUnit): void {
    for (const run of runsAroundErasures(events)) {
      if (run instanceof CustomerPersonalDataErased) unit.db.prepare(ERASE_SQLITE).run(run.customerId);
      else super.applyBatchSqlite(run, unit);
    }
  }

  // The two-statement path writes rows by key only; a batch with an erasure takes the transactional path
  // above (erasures are rare, so the common batch keeps the fast one).
  override applyBatchPostgres(events: readonly RecordedEvent[], unit: PostgresUnit): Promise<boolean> {
    if (events.some((recorded) => recorded.event instanceof CustomerPersonalDataErased)) return Promise.resolve(false);
    return super.applyBatchPostgres(events, unit);
  }

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
      const erased = isErased(event);
      return Object.assign(new OrderDetails(), {
        orderId: event.orderId,
        cartId: event.cartId,
        customerId: event.customerId,
        status: 'placed',
        lines: event.lines,
        totalCents: event.totalCents,
        currency: event.currency,
        email: erased ? null : event.email,
        shippingAddress: erased ? null : shippingAddressOf(event.shippingAddress),
        erased,
        version: streamVersion,
        placedPosition: position,
      });
    }
    const status = STATUS_AFTER.get(event.constructor);
    if (order === undefined || status === undefined || order.version >= streamVersion) return undefined;
    return Object.assign(new OrderDetails(), order, { status, version: streamVersion });
  }
}

/** The batch split at each erasure: runs of other events, and the erasures themselves, in order. */
function runsAroundErasures(events: readonly RecordedEvent[]): (RecordedEvent[] | CustomerPersonalDataErased)[] {
  const runs: (RecordedEvent[] | CustomerPersonalDataErased)[] = [];
  let run: RecordedEvent[] = [];
  for (const recorded of events) {
    if (!(recorded.event instanceof CustomerPersonalDataErased)) {
      run.push(recorded);
      continue;
    }
    if (run.length > 0) runs.push(run);
    runs.push(recorded.event);
    run = [];
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
