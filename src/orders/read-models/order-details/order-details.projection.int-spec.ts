import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CustomerPersonalDataErased } from '../../../customers/domain/customer.events';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { createEventSourcingTestModule } from '../../../event-sourcing/testing/event-sourcing-test-module';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import { OrderPaid, OrderPlaced } from '../../domain/order.events';
import { OrdersModule } from '../../orders.module';
import { OrderDetails } from './order-details.entity';
import { ORDER_DETAILS, OrderDetailsProjection } from './order-details.projection';

const address = { name: 'Ann', line1: '1 Main Street', postalCode: '10115', city: 'Berlin', country: 'DE' };
const lines = [{ productId: 'shoes', quantity: 1, unitPriceCents: 100 }];

let position = 0;
const recorded = (event: object, streamVersion = 1): RecordedEvent => ({
  position: ++position,
  transactionId: 0,
  eventId: randomUUID(),
  streamId: 'order-test',
  streamVersion,
  type: 'test',
  event,
  metadata: {},
  recordedAt: new Date(0),
});
const placed = (orderId: string, customerId: string, email: string | null = `${customerId}@example.com`) =>
  recorded(
    new OrderPlaced(orderId, `cart-${orderId}`, customerId, lines, 100, 'EUR', email, email === null ? null : address),
  );
/** As the store reads an order placed before its customer's key was destroyed. */
const placedErased = (orderId: string, customerId: string) =>
  recorded(
    Object.assign(new OrderPlaced(orderId, `cart-${orderId}`, customerId, lines, 100, 'EUR', null, null), {
      erased: true,
    }),
  );
const erased = (customerId: string) => recorded(new CustomerPersonalDataErased(customerId, 'asked', 'dpo'));

describe('the order-details projection and personal data', () => {
  let close: () => Promise<void>;
  let projection: OrderDetailsProjection;
  let transactions: Transactions;
  let dataSource: DataSource;
  /** Where the PostgreSQL path stored the checkpoint last. */
  let stored: number;

  beforeEach(async () => {
    const test = await createEventSourcingTestModule(
      { imports: [OrdersModule] },
      { pausedSubscriptions: [ORDER_DETAILS] },
    );
    close = test.close;
    projection = test.module.get(OrderDetailsProjection);
    transactions = test.module.get(Transactions);
    dataSource = test.module.get(DataSource);
    stored = 0;
  });
  afterEach(() => close());

  type Path = [string, (events: RecordedEvent[]) => Promise<unknown>];
  const throughTypeOrm = (events: RecordedEvent[]) =>
    transactions.write((manager) => projection.applyBatch(events, manager));
  /** As the runner does on PostgreSQL: the two-statement path with the checkpoint as claim, else TypeORM's. */
  const onPostgres = async (events: RecordedEvent[]) => {
    const claim = { name: ORDER_DETAILS, expected: stored, position: events.at(-1)!.position };
    const applied = await transactions.onConnection((client) =>
      projection.applyBatchPostgres(events, { client, dataSource, claim }),
    );
    if (applied) stored = claim.position;
    else await throughTypeOrm(events);
  };
  /** Each path the runner may take on this engine: TypeORM's everywhere, and each engine's own statements. */
  const paths = (): Path[] => [
    ['through TypeORM', throughTypeOrm],
    transactions.engine === 'sqlite'
      ? [
          'on SQLite',
          (events) => transactions.writeSqlite((db) => projection.applyBatchSqlite(events, { db, dataSource })),
        ]
      : ['on PostgreSQL', onPostgres],
  ];
  const row = async (orderId: string) => {
    const found = await dataSource.getRepository(OrderDetails).findOneByOrFail({ orderId });
    return { email: found.email, shippingAddress: found.shippingAddress, erased: found.erased, status: found.status };
  };

  it('handles the erasure of a customer', () => {
    expect(projection.handles(erased('ann'))).toBe(true);
  });

  it('clears every order of an erased customer within a batch, in order, and leaves the others', async () => {
    for (const [path, apply] of paths()) {
      const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const [ann, bob] = [`ann-${randomUUID()}`, `bob-${randomUUID()}`];
      await apply([placed(a, ann)]);
      await apply([
        placed(b, ann),
        placed(c, bob),
        erased(ann),
        recorded(new OrderPaid(a, 100), 2),
        // Ordered again after the erasure: a new contact, under a new key.
        placed(d, ann),
      ]);
      const cleared = { email: null, shippingAddress: null, erased: true };
      expect({ path, rows: [await row(a), await row(b), await row(c), await row(d)] }).toEqual({
        path,
        rows: [
          { ...cleared, status: 'paid' },
          { ...cleared, status: 'placed' },
          { email: `${bob}@example.com`, shippingAddress: address, erased: false, status: 'placed' },
          { email: `${ann}@example.com`, shippingAddress: address, erased: false, status: 'placed' },
        ],
      });
    }
  });

  it('stores an order that arrives erased as erased, and one without a contact as not', async () => {
    for (const [path, apply] of paths()) {
      const [a, b] = [randomUUID(), randomUUID()];
      await apply([placedErased(a, 'cid'), placed(b, 'cid', null)]);
      expect({ path, rows: [await row(a), await row(b)] }).toEqual({
        path,
        rows: [
          { email: null, shippingAddress: null, erased: true, status: 'placed' },
          { email: null, shippingAddress: null, erased: false, status: 'placed' },
        ],
      });
    }
  });

  it('keeps no plaintext of an erased customer in the table', async () => {
    for (const [path, apply] of paths()) {
      const customer = `carol-${randomUUID()}`;
      await apply([placed(randomUUID(), customer), placed(randomUUID(), customer), erased(customer)]);
      const raw = await dataSource.query<Record<string, unknown>[]>('SELECT * FROM order_details');
      expect({ path, found: JSON.stringify(raw).includes(`${customer}@example.com`) }).toEqual({ path, found: false });
    }
  });
});
