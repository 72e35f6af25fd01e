import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type CommandBody = { cartId: string; version: number; position: number };
type Line = { productId: string; quantity: number; unitPriceCents: number; lineTotalCents: number };
type CartBody = {
  cartId: string;
  customerId: string;
  status: 'open' | 'checked_out';
  items: Line[];
  totalCents: number;
  version: number;
};
type EventBody = {
  position: number;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
};

let customerCounter = 0;
const newCustomer = () => `customer-${process.pid}-${++customerCounter}`;

/** A command answered `status` with `{ cartId, version, position }` and the matching ETag. */
function expectCommand(response: request.Response, status: number, version: number): CommandBody {
  expect(response.status).toBe(status);
  const body = response.body as CommandBody;
  expect(Object.keys(body).sort()).toEqual(['cartId', 'position', 'version']);
  expect(body.cartId).toMatch(UUID);
  expect(body.version).toBe(version);
  expect(Number.isInteger(body.position) && body.position > 0).toBe(true);
  expect(response.headers.etag).toBe(`"${version}"`);
  return body;
}

describe('shopping carts over HTTP', () => {
  let test: TestApp;
  const api = () => request(test.url);

  const open = async (customerId = newCustomer()) => {
    const response = await api().post('/carts').send({ customerId });
    return expectCommand(response, 201, 1);
  };
  const add = (cartId: string, body: object) => api().post(`/carts/${cartId}/items`).send(body);
  const cart = async (cartId: string, position: number) => {
    const response = await api().get(`/carts/${cartId}`).query({ consistentWith: position }).expect(200);
    expect(response.headers.etag).toBe(`"${(response.body as CartBody).version}"`);
    return response.body as CartBody;
  };
  const events = async (cartId: string) => (await api().get(`/carts/${cartId}/events`).expect(200)).body as EventBody[];
  const line = (productId: string, quantity: number, unitPriceCents: number): Line => ({
    productId,
    quantity,
    unitPriceCents,
    lineTotalCents: quantity * unitPriceCents,
  });

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('opens a cart with 201, a Location, an ETag and the empty cart readable at its position', async () => {
    const customerId = newCustomer();
    const response = await api().post('/carts').send({ customerId });
    const opened = expectCommand(response, 201, 1);
    expect(response.headers.location).toBe(`/carts/${opened.cartId}`);
    expect(await cart(opened.cartId, opened.position)).toEqual({
      cartId: opened.cartId,
      customerId,
      status: 'open',
      items: [],
      totalCents: 0,
      currency: 'EUR',
      version: 1,
    });
  });

  it('opens a cart in a supported currency, which its events, views and lists carry', async () => {
    const customerId = newCustomer();
    const opened = expectCommand(await api().post('/carts').send({ customerId, currency: 'GBP' }), 201, 1);
    expect(await cart(opened.cartId, opened.position)).toMatchObject({ currency: 'GBP' });
    expectCommand(await add(opened.cartId, { productId: 'shoes', quantity: 1, unitPriceCents: 100 }), 200, 2);
    const checkedOut = expectCommand(await api().post(`/carts/${opened.cartId}/checkout`), 200, 3);
    const events = (await api().get(`/carts/${opened.cartId}/events`).expect(200)).body as EventBody[];
    expect(events.map((event) => [event.type, event.data.currency])).toEqual([
      ['shopping-cart.opened.v2', 'GBP'],
      ['shopping-cart.item-added.v1', undefined],
      ['shopping-cart.checked-out.v3', 'GBP'],
    ]);
    const list = await api().get('/carts').query({ customerId, consistentWith: checkedOut.position }).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ cartId: opened.cartId, currency: 'GBP' })]);
    const atVersion = await api().get(`/carts/${opened.cartId}`).query({ atVersion: 1 }).expect(200);
    expect(atVersion.body).toMatchObject({ currency: 'GBP', version: 1 });
  });

  it.each([['XAU'], ['eur'], ['EURO'], [''], [null], [978]])('refuses the currency %p with 400', async (currency) => {
    const customerId = newCustomer();
    const response = await api().post('/carts').send({ customerId, currency });
    expectProblem(response, 400);
    expect(JSON.stringify(response.body)).toContain('currency must be one of EUR, USD');
    expect((await api().get('/carts').query({ customerId }).expect(200)).body).toEqual([]);
  });

  it('adds items, grows a line on a repeat add, keeps or replaces its price, and totals in cents', async () => {
    const { cartId } = await open();
    expectCommand(await add(cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 4999 }), 200, 2);
    expectCommand(await add(cartId, { productId: 'socks', quantity: 3, unitPriceCents: 0 }), 200, 3);
    let result = expectCommand(await add(cartId, { productId: 'shoes', quantity: 1 }), 200, 4);
    expect((await cart(cartId, result.position)).items).toEqual([line('shoes', 3, 4999), line('socks', 3, 0)]);

    result = expectCommand(await add(cartId, { productId: 'socks', quantity: 1, unitPriceCents: 250 }), 200, 5);
    const view = await cart(cartId, result.position);
    expect(view.items).toEqual([line('shoes', 3, 4999), line('socks', 4, 250)]);
    expect(view.totalCents).toBe(3 * 4999 + 4 * 250);
    expect(view.version).toBe(5);
  });

  it('adds the largest quantity and price the contract allows', async () => {
    const { cartId } = await open();
    const result = expectCommand(
      await add(cartId, { productId: 'gold', quantity: 10_000, unitPriceCents: 100_000_000 }),
      200,
      2,
    );
    expect((await cart(cartId, result.position)).totalCents).toBe(10_000 * 100_000_000);
  });

  it('removes part of a line, then the whole line by default, for any product id', async () => {
    const { cartId } = await open();
    const productId = 'čaj ☕/grün';
    await add(cartId, { productId, quantity: 5, unitPriceCents: 300 }).expect(200);
    await add(cartId, { productId: 'mug', quantity: 1, unitPriceCents: 900 }).expect(200);
    const path = `/carts/${cartId}/items/${encodeURIComponent(productId)}`;

    let result = expectCommand(await api().delete(path).query({ quantity: 2 }), 200, 4);
    expect((await cart(cartId, result.position)).items).toEqual([line(productId, 3, 300), line('mug', 1, 900)]);
    result = expectCommand(await api().delete(path), 200, 5);
    const view = await cart(cartId, result.position);
    expect(view.items).toEqual([line('mug', 1, 900)]);
    expect(view.totalCents).toBe(900);
  });

  it('refuses a new product without a price, removing too much or something absent, and an empty checkout', async () => {
    const { cartId } = await open();
    expectProblem(await add(cartId, { productId: 'shoes', quantity: 1 }), 422, 'urn:ledgerline:problem:price-required');
    await add(cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 100 }).expect(200);
    expectProblem(await api().delete(`/carts/${cartId}/items/shoes`).query({ quantity: 3 }), 422);
    expectProblem(await api().delete(`/carts/${cartId}/items/socks`), 422);
    await api().delete(`/carts/${cartId}/items/shoes`).expect(200);
    expectProblem(await api().delete(`/carts/${cartId}/items/shoes`), 422);
    expectProblem(await api().post(`/carts/${cartId}/checkout`), 422);
    expect((await events(cartId)).map((event) => event.type)).toEqual([
      'shopping-cart.opened.v2',
      'shopping-cart.item-added.v1',
      'shopping-cart.item-removed.v1',
    ]);
  });

  it('checks a cart out, after which it refuses add, remove and checkout with 422', async () => {
    const { cartId } = await open();
    await add(cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 5000 }).expect(200);
    const result = expectCommand(await api().post(`/carts/${cartId}/checkout`), 200, 3);
    const view = await cart(cartId, result.position);
    expect(view).toMatchObject({ status: 'checked_out', totalCents: 10_000, version: 3 });

    expectProblem(await add(cartId, { productId: 'socks', quantity: 1, unitPriceCents: 100 }), 422);
    expectProblem(await add(cartId, { productId: 'shoes', quantity: 1 }), 422);
    expectProblem(await api().delete(`/carts/${cartId}/items/shoes`), 422);
    expectProblem(await api().post(`/carts/${cartId}/checkout`), 422);
    expect(await events(cartId)).toHaveLength(3);
  });

  it('lists the events oldest first with their data and metadata, including the correlation id', async () => {
    const customerId = newCustomer();
    const opened = await api().post('/carts').set('X-Correlation-Id', 'corr-open').send({ customerId }).expect(201);
    const { cartId } = opened.body as CommandBody;
    await add(cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 4999 }).expect(200);
    await api().delete(`/carts/${cartId}/items/shoes`).query({ quantity: 1 }).expect(200);
    await api().post(`/carts/${cartId}/checkout`).set('X-Correlation-Id', 'corr-checkout').expect(200);

    const list = await events(cartId);
    expect(list.map((event) => [event.version, event.type])).toEqual([
      [1, 'shopping-cart.opened.v2'],
      [2, 'shopping-cart.item-added.v1'],
      [3, 'shopping-cart.item-removed.v1'],
      [4, 'shopping-cart.checked-out.v3'],
    ]);
    const positions = list.map((event) => event.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(4);
    expect(list[0]?.data).toMatchObject({ cartId, customerId });
    expect(list[1]?.data).toMatchObject({ cartId, productId: 'shoes', quantity: 2, unitPriceCents: 4999 });
    expect(list[2]?.data).toMatchObject({ cartId, productId: 'shoes', quantity: 1 });
    expect(list[3]?.data).toMatchObject({ cartId, customerId, totalCents: 4999 });
    for (const event of list) {
      expect(Object.keys(event).sort()).toEqual([
        'data',
        'eventId',
        'metadata',
        'position',
        'recordedAt',
        'streamId',
        'type',
        'version',
      ]);
      expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
      expect(event.metadata).toMatchObject({
        correlationId: expect.any(String),
        causationId: expect.any(String),
        commandId: expect.any(String),
      });
    }
    expect(list[0]?.metadata.correlationId).toBe('corr-open');
    expect(list[3]?.metadata.correlationId).toBe('corr-checkout');
    expect(list[1]?.metadata.commandId).not.toBe(list[2]?.metadata.commandId);
  });

  it('rebuilds the cart at an earlier version with atVersion, and refuses versions it never had', async () => {
    const customerId = newCustomer();
    const { cartId } = await open(customerId);
    await add(cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 5000 }).expect(200);
    await add(cartId, { productId: 'socks', quantity: 1, unitPriceCents: 300 }).expect(200);
    await api().post(`/carts/${cartId}/checkout`).expect(200);

    const at = (version: number | string) => api().get(`/carts/${cartId}`).query({ atVersion: version });
    const first = await at(1).expect(200);
    expect(first.body).toEqual({
      cartId,
      customerId,
      status: 'open',
      items: [],
      totalCents: 0,
      currency: 'EUR',
      version: 1,
    });
    expect(first.headers.etag).toBe('"1"');
    const third = await at(3).expect(200);
    expect(third.body).toMatchObject({ status: 'open', items: [line('shoes', 2, 5000), line('socks', 1, 300)] });
    expect(third.headers.etag).toBe('"3"');
    expect((await at(4).expect(200)).body).toMatchObject({ status: 'checked_out', totalCents: 10_300, version: 4 });

    expectProblem(await at(5), 404);
    for (const bad of ['0', '-1', '1.5', 'abc', '1e2', ''])
      expectProblem(await at(bad), 400, 'urn:ledgerline:problem:validation-failed');
  });

  it("lists a customer's carts newest first, and needs the customerId", async () => {
    const customerId = newCustomer();
    const older = await open(customerId);
    await add(older.cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 5000 }).expect(200);
    await add(older.cartId, { productId: 'socks', quantity: 3, unitPriceCents: 100 }).expect(200);
    const checkedOut = expectCommand(await api().post(`/carts/${older.cartId}/checkout`), 200, 4);
    const newer = await open(customerId);
    await open(); // another customer's cart stays out of the list

    const response = await api()
      .get('/carts')
      .query({ customerId, consistentWith: Math.max(checkedOut.position, newer.position) })
      .expect(200);
    expect(response.body).toEqual([
      { cartId: newer.cartId, status: 'open', itemCount: 0, totalCents: 0, currency: 'EUR', version: 1 },
      { cartId: older.cartId, status: 'checked_out', itemCount: 5, totalCents: 10_300, currency: 'EUR', version: 4 },
    ]);
    expect((await api().get('/carts').query({ customerId: 'nobody-at-all' }).expect(200)).body).toEqual([]);

    expectProblem(await api().get('/carts'), 400, 'urn:ledgerline:problem:validation-failed');
    expectProblem(await api().get('/carts?customerId='), 400);
    expectProblem(await api().get('/carts?customerId=a&customerId=b'), 400);
    expectProblem(await api().get('/carts').query({ customerId, consistentWith: -1 }), 400);
    expectProblem(await api().get(`/carts/${older.cartId}`).query({ consistentWith: 'soon' }), 400);
  });
});
