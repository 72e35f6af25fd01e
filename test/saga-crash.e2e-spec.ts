import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { IsolatedDatabase, isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { AppProcess, startAppProcess } from './support/app-process';
import { eventually } from './support/eventually';

type Acknowledged = { cartId: string; version: number; position: number };
type Order = { orderId: string; cartId: string; customerId: string; lines: unknown[]; totalCents: number };
type EventBody = { position: number; streamId: string; type: string; data: Record<string, unknown> };
type Subscription = { name: string; checkpoint: number; headPosition: number; parked: unknown[] };

async function call<T>(url: string, method = 'GET', body?: object): Promise<{ status: number; json: T }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

/** Opens a cart and adds an item; resolves with the cart's id. */
async function filledCart(url: string, customerId: string, quantity: number): Promise<string> {
  const opened = await call<Acknowledged>(`${url}/carts`, 'POST', { customerId });
  expect(opened.status).toBe(201);
  const { cartId } = opened.json;
  const added = await call(`${url}/carts/${cartId}/items`, 'POST', {
    productId: 'shoes',
    quantity,
    unitPriceCents: 999,
  });
  expect(added.status).toBe(200);
  return cartId;
}

/** Checks the cart out; resolves once the checkout is acknowledged. */
async function checkOut(url: string, cartId: string): Promise<Acknowledged> {
  const checkout = await call<Acknowledged>(`${url}/carts/${cartId}/checkout`, 'POST');
  expect(checkout.status).toBe(200);
  return checkout.json;
}

const ordersOf = async (url: string, cartId: string, consistentWith?: number) => {
  const query = consistentWith === undefined ? '' : `&consistentWith=${consistentWith}`;
  const response = await call<Order[]>(`${url}/orders?cartId=${cartId}${query}`);
  expect(response.status).toBe(200);
  return response.json;
};

/** Every event in the store, paging through GET /events. */
async function allEvents(url: string): Promise<EventBody[]> {
  const events: EventBody[] = [];
  for (;;) {
    const page = await call<EventBody[]>(`${url}/events?after=${events.at(-1)?.position ?? 0}&limit=1000`);
    expect(page.status).toBe(200);
    events.push(...page.json);
    if (page.json.length < 1000) return events;
  }
}

const placedEventsOf = (events: EventBody[], cartId: string) =>
  events.filter(
    (event) => event.streamId.startsWith('order-') && event.type === 'order.placed.v3' && event.data.cartId === cartId,
  );

/** Resolves once the checkout saga has handled every event in the store. */
const sagaCaughtUp = (url: string) =>
  eventually(async () => {
    const list = await call<Subscription[]>(`${url}/subscriptions`);
    const saga = list.json.find((entry) => entry.name === 'checkout-saga');
    return saga !== undefined && saga.checkpoint === saga.headPosition ? saga : undefined;
  }, 'the checkout saga to catch up');

describe('the checkout saga across crashes of the service process', () => {
  const databases: IsolatedDatabase[] = [];
  const database = () => {
    const created = isolatedDatabase();
    databases.push(created);
    return created.env;
  };
  let app: AppProcess | undefined;
  afterEach(async () => {
    await app?.kill();
    app = undefined;
  });
  afterAll(async () => {
    for (const created of databases) await created.drop();
  });

  it('places the order of a checkout acknowledged before a crash exactly once, redelivery included', async () => {
    const env = database();
    app = await startAppProcess({ ...env, PAUSED_SUBSCRIPTIONS: 'checkout-saga' });
    const cartId = await filledCart(app.url, 'crash-customer', 3);
    const checkout = await checkOut(app.url, cartId);
    expect(await ordersOf(app.url, cartId, checkout.position)).toEqual([]);
    await app.kill();

    app = await startAppProcess(env);
    const url = app.url;
    const [placed] = await eventually(async () => {
      const orders = await ordersOf(url, cartId);
      return orders.length > 0 ? orders : undefined;
    }, 'the order after the restart');
    expect(placed).toMatchObject({
      cartId,
      customerId: 'crash-customer',
      lines: [{ productId: 'shoes', quantity: 3, unitPriceCents: 999 }],
      totalCents: 2997,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await app.kill();

    app = await startAppProcess(env);
    await sagaCaughtUp(app.url);
    const events = await allEvents(app.url);
    const head = (events.at(-1) as EventBody).position;
    expect(await ordersOf(app.url, cartId, head)).toEqual([placed]);
    expect(placedEventsOf(events, cartId)).toHaveLength(1);
    expect(events.filter((event) => event.streamId.startsWith('order-'))).toHaveLength(1);
    expect(app.output()).not.toMatch(/parked position/);
  }, 60_000);

  it('places one order per cart when the process dies right after a burst of checkouts', async () => {
    const env = database();
    app = await startAppProcess(env);
    const carts: string[] = [];
    for (let i = 0; i < 8; i += 1) carts.push(await filledCart(app.url, `burst-customer-${i}`, i + 1));
    const checkouts: Acknowledged[] = [];
    for (const cartId of carts) checkouts.push(await checkOut(app.url, cartId));
    await app.kill(); // right after the last checkout was acknowledged, with the saga mid-flight

    app = await startAppProcess(env);
    const url = app.url;
    for (const { cartId } of checkouts) {
      await eventually(async () => ((await ordersOf(url, cartId)).length > 0 ? true : undefined), `order of ${cartId}`);
    }
    await sagaCaughtUp(url);
    const events = await allEvents(url);
    const head = (events.at(-1) as EventBody).position;
    for (const [i, { cartId }] of checkouts.entries()) {
      const orders = await ordersOf(url, cartId, head);
      expect({ cartId, orders }).toEqual({
        cartId,
        orders: [expect.objectContaining({ cartId, customerId: `burst-customer-${i}`, totalCents: (i + 1) * 999 })],
      });
      expect({ cartId, placed: placedEventsOf(events, cartId).length }).toEqual({ cartId, placed: 1 });
    }
    const orderStreams = new Set(events.filter((e) => e.streamId.startsWith('order-')).map((e) => e.streamId));
    expect(orderStreams.size).toBe(checkouts.length);
    expect(events.filter((event) => event.type === 'order.placed.v3')).toHaveLength(checkouts.length);
  }, 60_000);
});
