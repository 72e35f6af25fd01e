import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const problem = (slug: string) => `urn:ledgerline:problem:${slug}`;

type CartCommand = { cartId: string; version: number; position: number };
type OrderCommand = { orderId: string; version: number; position: number };
type Line = { productId: string; quantity: number; unitPriceCents: number };
type OrderBody = {
  orderId: string;
  cartId: string;
  customerId: string;
  status: 'placed' | 'paid' | 'shipped' | 'cancelled';
  lines: Line[];
  totalCents: number;
  currency: string;
  email: string | null;
  shippingAddress: Record<string, string> | null;
  erased: boolean;
  version: number;
};
type EventBody = {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: { correlationId?: string; causationId?: string; commandId?: string };
};

let customerCounter = 0;
const newCustomer = () => `order-customer-${process.pid}-${++customerCounter}`;

function expectOrderCommand(response: request.Response, version: number): OrderCommand {
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 200 });
  const body = response.body as OrderCommand;
  expect(Object.keys(body).sort()).toEqual(['orderId', 'position', 'version']);
  expect(body.orderId).toMatch(UUID);
  expect(body.version).toBe(version);
  expect(Number.isInteger(body.position) && body.position > 0).toBe(true);
  expect(response.headers.etag).toBe(`"${version}"`);
  return body;
}

describe('orders over HTTP', () => {
  let test: TestApp;
  const api = () => request(test.url);

  const open = async (customerId: string) =>
    (await api().post('/carts').send({ customerId }).expect(201)).body as CartCommand;
  const add = (cartId: string, line: Line) => api().post(`/carts/${cartId}/items`).send(line).expect(200);
  const checkedOutCart = async (customerId: string, lines: Line[], correlationId: string = randomUUID()) => {
    const { cartId } = await open(customerId);
    for (const line of lines) await add(cartId, line);
    const checkout = await api().post(`/carts/${cartId}/checkout`).set('X-Correlation-Id', correlationId).expect(200);
    return { cartId, checkout: checkout.body as CartCommand };
  };
  /** The saga places the order asynchronously: poll the cart's orders for up to ~5 s. */
  const ordersOfCart = async (cartId: string, consistentWith?: number): Promise<OrderBody[]> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const query = consistentWith === undefined ? { cartId } : { cartId, consistentWith };
      const orders = (await api().get('/orders').query(query).expect(200)).body as OrderBody[];
      if (orders.length > 0 || Date.now() > deadline) return orders;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const placedOrder = async (customerId = newCustomer()): Promise<OrderBody> => {
    const { cartId } = await checkedOutCart(customerId, [{ productId: 'shoes', quantity: 2, unitPriceCents: 2500 }]);
    const orders = await ordersOfCart(cartId);
    expect(orders).toHaveLength(1);
    return orders[0] as OrderBody;
  };
  const pay = (orderId: string, amountCents: number) => api().post(`/orders/${orderId}/payments`).send({ amountCents });
  const ship = (orderId: string) => api().post(`/orders/${orderId}/shipment`);
  const cancel = (orderId: string) => api().post(`/orders/${orderId}/cancellation`).send({ reason: 'changed my mind' });
  const eventsOf = async (orderId: string) =>
    (await api().get(`/orders/${orderId}/events`).expect(200)).body as EventBody[];
  const order = async (orderId: string, consistentWith: number) => {
    const response = await api().get(`/orders/${orderId}`).query({ consistentWith }).expect(200);
    expect(response.headers.etag).toBe(`"${(response.body as OrderBody).version}"`);
    return response.body as OrderBody;
  };

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('places the order of a checked-out cart, refuses a wrong payment, then pays and ships it', async () => {
    const customerId = newCustomer();
    const lines = [
      { productId: 'running-shoes', quantity: 2, unitPriceCents: 4999 },
      { productId: 'socks', quantity: 3, unitPriceCents: 250 },
    ];
    const { cartId, checkout } = await checkedOutCart(customerId, lines);
    const cart = (await api().get(`/carts/${cartId}`).query({ consistentWith: checkout.position }).expect(200))
      .body as { items: (Line & { lineTotalCents: number })[]; totalCents: number };

    const orders = await ordersOfCart(cartId, checkout.position);
    expect(orders).toHaveLength(1);
    const placed = orders[0] as OrderBody;
    const totalCents = 2 * 4999 + 3 * 250;
    expect(placed).toEqual({
      orderId: expect.stringMatching(UUID),
      cartId,
      customerId,
      status: 'placed',
      lines,
      totalCents,
      currency: 'EUR',
      email: null,
      shippingAddress: null,
      erased: false,
      version: 1,
    });
    expect(placed.lines).toEqual(cart.items.map(({ lineTotalCents: _total, ...line }) => line));
    expect(placed.totalCents).toBe(cart.totalCents);
    const { orderId } = placed;

    expectProblem(await pay(orderId, totalCents - 1), 422, problem('payment-does-not-match-total'));
    expectOrderCommand(await pay(orderId, totalCents), 2);
    const shipped = expectOrderCommand(await ship(orderId), 3);
    expect(shipped.orderId).toBe(orderId);

    expect(await order(orderId, shipped.position)).toEqual({ ...placed, status: 'shipped', version: 3 });
    const first = await api().get(`/orders/${orderId}`).query({ atVersion: 1 }).expect(200);
    expect(first.body).toEqual({ ...placed, status: 'placed', version: 1 });
    expect(first.headers.etag).toBe('"1"');
    expect((await api().get(`/orders/${orderId}`).query({ atVersion: 2 }).expect(200)).body).toMatchObject({
      status: 'paid',
      version: 2,
    });
    expectProblem(await api().get(`/orders/${orderId}`).query({ atVersion: 4 }), 404);

    const events = await eventsOf(orderId);
    expect(events.map((event) => [event.version, event.type, event.streamId])).toEqual([
      [1, 'order.placed.v3', `order-${orderId}`],
      [2, 'order.paid.v1', `order-${orderId}`],
      [3, 'order.shipped.v1', `order-${orderId}`],
    ]);
    expect(events[0]?.data).toMatchObject({ orderId, cartId, customerId, lines, totalCents });
    expect(events[1]?.data).toMatchObject({ orderId, amountCents: totalCents });
  });

  it('traces the order to the checkout: correlation id, causation by the checkout event, a command id', async () => {
    const correlationId = `checkout-${randomUUID()}`;
    const { cartId } = await checkedOutCart(
      newCustomer(),
      [{ productId: 'mug', quantity: 1, unitPriceCents: 900 }],
      correlationId,
    );
    const checkedOut = ((await api().get(`/carts/${cartId}/events`).expect(200)).body as EventBody[]).filter(
      (event) => event.type === 'shopping-cart.checked-out.v3',
    );
    expect(checkedOut).toHaveLength(1);
    const [placed] = await ordersOfCart(cartId);
    expect(placed).toBeDefined();
    const orderId = (placed as OrderBody).orderId;
    // The client carries on with the same business transaction.
    await pay(orderId, 900).set('X-Correlation-Id', correlationId).expect(200);
    await ship(orderId).set('X-Correlation-Id', correlationId).expect(200);

    const events = await eventsOf(orderId);
    expect(events.map((event) => event.type)).toEqual(['order.placed.v3', 'order.paid.v1', 'order.shipped.v1']);
    for (const event of events) {
      expect(event.metadata.correlationId).toBe(correlationId);
      expect(event.metadata.commandId).toEqual(expect.any(String));
    }
    expect(events[0]?.metadata.causationId).toBe(checkedOut[0]?.eventId);
    expect(new Set(events.map((event) => event.metadata.commandId)).size).toBe(3);
  });

  it('honours If-Match (412 when stale) and Idempotency-Key (same answer, nothing appended) on order commands', async () => {
    const { orderId, totalCents } = await placedOrder();
    for (const stale of [
      await pay(orderId, totalCents).set('If-Match', '"2"'),
      await ship(orderId).set('If-Match', '"0"'),
      await cancel(orderId).set('If-Match', '"3"'),
    ]) {
      expectProblem(stale, 412, problem('version-mismatch'));
      expect(stale.headers.etag).toBe('"1"');
    }
    expect(await eventsOf(orderId)).toHaveLength(1);

    const payKey = `pay-${randomUUID()}`;
    const paid = expectOrderCommand(
      await pay(orderId, totalCents).set('If-Match', '"1"').set('Idempotency-Key', payKey),
      2,
    );
    const paidAgain = await pay(orderId, totalCents).set('If-Match', '"1"').set('Idempotency-Key', payKey);
    expect(expectOrderCommand(paidAgain, 2)).toEqual(paid);
    expect(await eventsOf(orderId)).toHaveLength(2);

    const shipKey = `ship-${randomUUID()}`;
    const shipped = expectOrderCommand(await ship(orderId).set('Idempotency-Key', shipKey), 3);
    expect(expectOrderCommand(await ship(orderId).set('Idempotency-Key', shipKey), 3)).toEqual(shipped);
    expect(await eventsOf(orderId)).toHaveLength(3);
    expectProblem(await cancel(orderId).set('Idempotency-Key', shipKey), 422, problem('idempotency-key-reused'));

    const staleAfterShip = await cancel(orderId).set('If-Match', '"2"');
    expectProblem(staleAfterShip, 412);
    expect(staleAfterShip.headers.etag).toBe('"3"');
    expect(await eventsOf(orderId)).toHaveLength(3);
  });

  it('enforces the order rules over HTTP with 422, appending nothing', async () => {
    const cancelled = await placedOrder();
    const cancellation = expectOrderCommand(await cancel(cancelled.orderId), 2);
    expectProblem(await pay(cancelled.orderId, cancelled.totalCents), 422, problem('order-cancelled'));
    expectProblem(await ship(cancelled.orderId), 422, problem('order-cancelled'));
    expectProblem(await cancel(cancelled.orderId), 422, problem('order-cancelled'));
    expect(await order(cancelled.orderId, cancellation.position)).toMatchObject({ status: 'cancelled', version: 2 });
    expect((await eventsOf(cancelled.orderId)).map((event) => event.type)).toEqual([
      'order.placed.v3',
      'order.cancelled.v1',
    ]);

    const other = await placedOrder();
    expectProblem(await ship(other.orderId), 422, problem('order-not-paid'));
    expectOrderCommand(await pay(other.orderId, other.totalCents), 2);
    expectProblem(await pay(other.orderId, other.totalCents), 422, problem('order-already-paid'));
    const shipped = expectOrderCommand(await ship(other.orderId), 3);
    expectProblem(await cancel(other.orderId), 422, problem('order-already-shipped'));
    expectProblem(await ship(other.orderId), 422, problem('order-already-shipped'));
    expect(await order(other.orderId, shipped.position)).toMatchObject({ status: 'shipped', version: 3 });
    expect(await eventsOf(other.orderId)).toHaveLength(3);
    expectProblem(await api().post(`/orders/${other.orderId}/cancellation`).send({}), 400);
  });

  it("lists a customer's orders newest first, and needs customerId or cartId", async () => {
    const customerId = newCustomer();
    const older = await placedOrder(customerId);
    const newer = await placedOrder(customerId);
    await placedOrder(); // another customer's order stays out of the list

    expect((await api().get('/orders').query({ customerId }).expect(200)).body).toEqual([newer, older]);
    expect((await api().get('/orders').query({ customerId: 'nobody-at-all' }).expect(200)).body).toEqual([]);
    expect((await api().get('/orders').query({ cartId: randomUUID() }).expect(200)).body).toEqual([]);

    expectProblem(await api().get('/orders'), 400, problem('validation-failed'));
    expectProblem(await api().get('/orders').query({ consistentWith: 1 }), 400, problem('validation-failed'));
    expectProblem(await api().get('/orders?customerId='), 400);
    expectProblem(await api().get('/orders').query({ customerId, consistentWith: 'soon' }), 400);
  });

  it('answers 404 problem+json for an unknown or malformed order id on every order route', async () => {
    const { cartId } = await open(newCustomer());
    for (const id of [randomUUID(), cartId, 'not-a-uuid', '12345']) {
      for (const response of [
        await api().get(`/orders/${id}`),
        await api().get(`/orders/${id}?atVersion=1`),
        await api().get(`/orders/${id}/events`),
        await pay(id, 100),
        await ship(id),
        await cancel(id),
      ])
        expectProblem(response, 404, problem('not-found'));
    }
  });

  it('answers the lines of carts and orders with the same key order on every engine', async () => {
    const { cartId } = await checkedOutCart(newCustomer(), [{ productId: 'shoes', quantity: 2, unitPriceCents: 2500 }]);
    const { orderId } = (await ordersOfCart(cartId))[0]!;
    const keysOfFirstLine = async (path: string, lines: (body: never) => object[]) =>
      Object.keys(lines((await api().get(path).expect(200)).body as never)[0]!);
    const cartLine = ['productId', 'quantity', 'unitPriceCents', 'lineTotalCents'];
    const orderLine = ['productId', 'quantity', 'unitPriceCents'];
    expect(await keysOfFirstLine(`/carts/${cartId}`, (cart: { items: object[] }) => cart.items)).toEqual(cartLine);
    expect(await keysOfFirstLine(`/carts/${cartId}?atVersion=3`, (cart: { items: object[] }) => cart.items)).toEqual(
      cartLine,
    );
    const ofOrder = (order: OrderBody) => order.lines;
    expect(await keysOfFirstLine(`/orders/${orderId}`, ofOrder)).toEqual(orderLine);
    expect(await keysOfFirstLine(`/orders/${orderId}?atVersion=1`, ofOrder)).toEqual(orderLine);
    expect(await keysOfFirstLine(`/orders?cartId=${cartId}`, (orders: OrderBody[]) => orders[0]!.lines)).toEqual(
      orderLine,
    );
  });

  it('words the 404 of a malformed order id like that of a well-formed one', async () => {
    const unknown = randomUUID();
    const detail = async (id: string) =>
      ((await api().get(`/orders/${id}`).expect(404)).body as { detail: string }).detail;
    expect([await detail(unknown), await detail('abc')]).toEqual([
      `Order ${unknown} does not exist`,
      'Order abc does not exist',
    ]);
  });

  it('places the order in the currency of its cart', async () => {
    const { cartId } = (await api().post('/carts').send({ customerId: 'customer-usd', currency: 'USD' }).expect(201))
      .body as CartCommand;
    await add(cartId, { productId: 'shoes', quantity: 1, unitPriceCents: 4999 });
    const checkout = (await api().post(`/carts/${cartId}/checkout`).expect(200)).body as CartCommand;
    const [placed] = await ordersOfCart(cartId, checkout.position);
    expect(placed).toMatchObject({ cartId, currency: 'USD', totalCents: 4999 });
    const atVersion = await api().get(`/orders/${placed!.orderId}`).query({ atVersion: 1 }).expect(200);
    expect(atVersion.body).toMatchObject({ currency: 'USD' });
  });
});
