import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';
import { eventually } from './support/eventually';

const problem = (slug: string) => `urn:ledgerline:problem:${slug}`;

type Acknowledged = { cartId: string; version: number; position: number };
type Parked = { position: number; eventId: string; type: string; error: string; attempts: number; parkedAt: string };
type Subscription = {
  name: string;
  kind: 'projection' | 'saga';
  checkpoint: number;
  headPosition: number;
  lag: number;
  paused: boolean;
  lastError: string | null;
  parked: Parked[];
};

function helpers(app: () => TestApp) {
  let customer = 0;
  const api = () => request(app().url);
  const open = async () =>
    (
      await api()
        .post('/carts')
        .send({ customerId: `admin-customer-${++customer}` })
        .expect(201)
    ).body as Acknowledged;
  const add = async (cartId: string, productId: string, quantity = 1) =>
    (await api().post(`/carts/${cartId}/items`).send({ productId, quantity, unitPriceCents: 125 }).expect(200))
      .body as Acknowledged;
  const subscriptions = async () => (await api().get('/subscriptions').expect(200)).body as Subscription[];
  const subscription = async (name: string) => {
    const found = (await subscriptions()).find((entry) => entry.name === name);
    expect(found).toBeDefined();
    return found as Subscription;
  };
  const ordersOf = async (cartId: string) =>
    (await api().get('/orders').query({ cartId }).expect(200)).body as { orderId: string; cartId: string }[];
  return { api, open, add, subscriptions, subscription, ordersOf };
}

describe('the subscriptions admin', () => {
  let test: TestApp;
  const { api, open, add, subscriptions, subscription } = helpers(() => test);

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('lists every projection and saga with its checkpoint, head, lag, pause, last error and parked events', async () => {
    const { cartId } = await open();
    const last = await add(cartId, 'shoes');
    await api().get(`/carts/${cartId}`).query({ consistentWith: last.position }).expect(200);

    const list = await subscriptions();
    // Contexts added with npm run generate:context bring their own projections.
    expect(list.map((entry) => [entry.name, entry.kind]).sort()).toEqual(
      expect.arrayContaining([
        ['cart-details', 'projection'],
        ['checkout-saga', 'saga'],
        ['customer-carts', 'projection'],
        ['order-details', 'projection'],
      ]),
    );
    for (const entry of list) {
      expect(Object.keys(entry).sort()).toEqual([
        'checkpoint',
        'headPosition',
        'kind',
        'lag',
        'lastError',
        'leader',
        'name',
        'parked',
        'paused',
      ]);
      expect(entry).toMatchObject({
        headPosition: last.position,
        paused: false,
        leader: true,
        lastError: null,
        parked: [],
      });
      expect(entry.checkpoint).toBeLessThanOrEqual(entry.headPosition);
      expect(entry.lag).toBe(entry.headPosition - entry.checkpoint);
    }
    expect(await subscription('cart-details')).toMatchObject({ checkpoint: last.position, lag: 0 });
  });

  it('refuses to rebuild an unknown subscription (404) and a saga (409)', async () => {
    expectProblem(await api().post('/subscriptions/no-such-thing/rebuild'), 404, problem('not-found'));
    expectProblem(await api().post('/subscriptions/checkout-saga/rebuild'), 409, problem('not-rebuildable'));
    expect((await subscription('checkout-saga')).kind).toBe('saga');
  });

  it('rebuilds cart-details while commands keep arriving, ending equal to a replay of every cart', async () => {
    const carts = await Promise.all(Array.from({ length: 5 }, () => open()));
    const acknowledged: Acknowledged[] = [];
    let stop = false;
    const writers = carts.map(async ({ cartId }, writer) => {
      for (let n = 0; !stop; n += 1) acknowledged.push(await add(cartId, `p-${writer}-${n % 7}`, 1 + (n % 3)));
    });
    const waitForAcks = (count: number) =>
      eventually(
        () => Promise.resolve(acknowledged.length >= count ? true : undefined),
        `${count} acknowledged commands`,
      );

    try {
      await waitForAcks(25);
      const rebuild = await api().post('/subscriptions/cart-details/rebuild');
      expect({ status: rebuild.status, body: rebuild.body as unknown }).toEqual({
        status: 202,
        body: { name: 'cart-details', checkpoint: 0 },
      });
      const atRebuild = acknowledged.length;
      await waitForAcks(atRebuild + 75);
    } finally {
      stop = true;
      await Promise.all(writers);
    }

    const lastPosition = Math.max(...acknowledged.map((ack) => ack.position));
    for (const { cartId } of carts) {
      const projected = await api().get(`/carts/${cartId}`).query({ consistentWith: lastPosition }).expect(200);
      const version = ((await api().get(`/carts/${cartId}/events`).expect(200)).body as unknown[]).length;
      const replayed = await api().get(`/carts/${cartId}`).query({ atVersion: version }).expect(200);
      expect(projected.body).toEqual(replayed.body);
    }
    const cartDetails = await subscription('cart-details');
    expect(cartDetails).toMatchObject({ checkpoint: cartDetails.headPosition, lag: 0, lastError: null });
    expect(cartDetails.headPosition).toBe(lastPosition);
  });
});

describe('a saga parking an event it cannot handle', () => {
  let test: TestApp;
  const { api, open, add, subscription, ordersOf } = helpers(() => test);

  beforeAll(async () => {
    test = await startTestApp({ SAGA_ATTEMPTS: '2', SAGA_BACKOFF_MS: '10' });
  });
  afterAll(() => test.close());

  it('parks it after its attempts, keeps going, and keeps it parked when a retry fails again', async () => {
    // A checkout with no lines: the Order aggregate refuses an empty order, so every attempt fails.
    const cartId = randomUUID();
    const eventId = randomUUID();
    // SQLite placeholders; PostgreSQL (when the specs run there) numbers them.
    const placeholders = Array.from({ length: 8 }, (_, i) =>
      test.dataSource.options.type === 'postgres' ? `$${i + 1}` : '?',
    );
    const inserted = await test.dataSource.query<{ position: number | string }[]>(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash)
       VALUES (${placeholders.join(', ')}) RETURNING position`,
      [
        eventId,
        `shopping-cart-${cartId}`,
        1,
        // Stored as an old version, read (and parked) as the current one.
        'shopping-cart.checked-out.v2',
        JSON.stringify({ cartId, customerId: 'broken-customer', lines: [], totalCents: 0 }),
        JSON.stringify({ correlationId: eventId, causationId: eventId, commandId: eventId }),
        new Date().toISOString(),
        'not chained',
      ],
    );
    const position = Number(inserted[0]?.position);
    expect(position).toBeGreaterThan(0);

    const parkedEntry = (saga: Subscription) => saga.parked.find((entry) => entry.position === position);
    const saga = await eventually(async () => {
      const current = await subscription('checkout-saga');
      return parkedEntry(current) === undefined ? undefined : current;
    }, 'the checkout saga to park the empty checkout');
    expect(saga.parked).toHaveLength(1);
    expect(parkedEntry(saga)).toEqual({
      position,
      eventId,
      type: 'shopping-cart.checked-out.v3',
      error: expect.stringContaining('has no lines'),
      attempts: 2,
      parkedAt: expect.any(String),
    });
    expect(new Date(parkedEntry(saga)?.parkedAt ?? '').toISOString()).toBe(parkedEntry(saga)?.parkedAt);
    expect(saga.checkpoint).toBeGreaterThanOrEqual(position);
    expect(await ordersOf(cartId)).toEqual([]);

    // The saga moved on: a normal checkout afterwards still gets its order.
    const cart = await open();
    await add(cart.cartId, 'shoes', 2);
    const checkout = (await api().post(`/carts/${cart.cartId}/checkout`).expect(200)).body as Acknowledged;
    const [order] = await eventually(async () => {
      const orders = await ordersOf(cart.cartId);
      return orders.length > 0 ? orders : undefined;
    }, 'the order of a normal checkout');
    expect(order).toMatchObject({ cartId: cart.cartId });
    expect(await ordersOf(cart.cartId)).toHaveLength(1);
    await api().get(`/carts/${cart.cartId}`).query({ consistentWith: checkout.position }).expect(200);
    expect(await subscription('cart-details')).toMatchObject({ lastError: null });
    expect((await subscription('checkout-saga')).checkpoint).toBeGreaterThanOrEqual(checkout.position);

    const retried = await api().post(`/subscriptions/checkout-saga/parked/${position}/retry`);
    expectProblem(retried, 409, problem('retry-failed'));
    const afterRetry = parkedEntry(await subscription('checkout-saga'));
    expect(afterRetry).toMatchObject({
      position,
      eventId,
      attempts: 3,
      error: expect.stringContaining('has no lines'),
    });
    expect(await ordersOf(cartId)).toEqual([]);

    for (const notParked of [checkout.position, position + 1_000_000])
      expectProblem(
        await api().post(`/subscriptions/checkout-saga/parked/${notParked}/retry`),
        404,
        problem('not-found'),
      );
    expectProblem(await api().post(`/subscriptions/no-such-saga/parked/${position}/retry`), 404);
    expectProblem(await api().post(`/subscriptions/cart-details/parked/${position}/retry`), 404);
    expectProblem(await api().post('/subscriptions/checkout-saga/parked/abc/retry'), 400);
    expect((await subscription('checkout-saga')).parked.map((entry) => entry.position)).toEqual([position]);
  });
});
