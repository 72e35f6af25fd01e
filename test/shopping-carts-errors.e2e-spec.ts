import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';

const VALIDATION = 'urn:ledgerline:problem:validation-failed';

type CommandBody = { cartId: string; version: number; position: number };

describe('shopping carts: refusals, preconditions, idempotency and concurrency', () => {
  let test: TestApp;
  let customer = 0;
  const api = () => request(test.url);
  const open = async (customerId = `errors-customer-${++customer}`) =>
    (await api().post('/carts').send({ customerId }).expect(201)).body as CommandBody;
  const add = (cartId: string, body: unknown) =>
    api()
      .post(`/carts/${cartId}/items`)
      .send(body as object);
  const eventsOf = async (cartId: string) =>
    (await api().get(`/carts/${cartId}/events`).expect(200)).body as { version: number }[];
  const allEvents = async () =>
    Number((await test.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM events'))[0]?.n ?? -1);
  const postJson = (path: string, raw: string) => api().post(path).set('Content-Type', 'application/json').send(raw);

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('answers 404 for an unknown cart and for a malformed cart id on every cart route', async () => {
    const routes = (id: string) => [
      api().get(`/carts/${id}`),
      api().get(`/carts/${id}?atVersion=1`),
      api().get(`/carts/${id}/events`),
      api().post(`/carts/${id}/items`).send({ productId: 'shoes', quantity: 1, unitPriceCents: 100 }),
      api().delete(`/carts/${id}/items/shoes`),
      api().post(`/carts/${id}/checkout`),
    ];
    const before = await allEvents();
    for (const id of [randomUUID(), 'not-a-uuid', '12345', `${randomUUID()}0`, 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'])
      for (const route of routes(encodeURIComponent(id))) expectProblem(await route, 404);
    expectProblem(await api().get(`/carts/${randomUUID()}`), 404, 'urn:ledgerline:problem:not-found');
    expect(await allEvents()).toBe(before);
  });

  it('words the 404 of a malformed cart id like that of a well-formed one', async () => {
    const unknown = randomUUID();
    const detail = async (id: string) =>
      ((await api().get(`/carts/${id}`).expect(404)).body as { detail: string }).detail;
    expect([await detail(unknown), await detail('abc')]).toEqual([
      `ShoppingCart ${unknown} does not exist`,
      'ShoppingCart abc does not exist',
    ]);
  });

  it('answers malformed JSON, unknown fields and numbers sent as strings with 400 and the failing fields', async () => {
    const { cartId } = await open();
    expectProblem(await postJson('/carts', '{"customerId": '), 400);
    expectProblem(await postJson(`/carts/${cartId}/items`, '{"productId": "a", quantity: 1}'), 400);

    const extra = await api().post('/carts').send({ customerId: 'c', admin: true });
    expectProblem(extra, 400, VALIDATION);
    expect(extra.body).toMatchObject({ errors: [{ field: 'admin', messages: [expect.any(String)] }] });
    const stringly = await add(cartId, { productId: 'shoes', quantity: '2', unitPriceCents: '100' });
    expectProblem(stringly, 400, VALIDATION);
    const fields = (stringly.body as { errors: { field: string }[] }).errors.map((error) => error.field);
    expect(fields.sort()).toEqual(['quantity', 'unitPriceCents']);
    expect(await eventsOf(cartId)).toHaveLength(1);
  });

  it('answers a body over the 100kb limit with 413', async () => {
    const { cartId } = await open();
    const big = 'x'.repeat(150_000);
    for (const response of [
      await api().post('/carts').send({ customerId: big }),
      await add(cartId, { productId: big, quantity: 1, unitPriceCents: 1 }),
    ])
      expectProblem(response, 413, 'urn:ledgerline:problem:payload-too-large');
    expect(await eventsOf(cartId)).toHaveLength(1);
  });

  const seededItem = '{"productId":"seeded","quantity":1,"unitPriceCents":100}';
  const oddBodies: [string, string, string][] = [
    // [what, raw body for POST /carts, raw body for POST /carts/{id}/items]
    ['an empty object', '{}', '{}'],
    ['an empty array', '[]', '[]'],
    ['an array of valid bodies', '[{"customerId":"a"}]', `[${seededItem}]`],
    ['null', 'null', 'null'],
    ['a string', '"customer-1"', '"seeded"'],
    ['a number', '42', '42'],
    ['a boolean', 'true', 'false'],
    ['null fields', '{"customerId":null}', '{"productId":null,"quantity":null}'],
    ['numbers for strings', '{"customerId":42}', '{"productId":42,"quantity":1,"unitPriceCents":1}'],
    ['strings for numbers', '{"customerId":"a","x":"1"}', '{"productId":"seeded","quantity":"1"}'],
    ['booleans', '{"customerId":true}', '{"productId":"seeded","quantity":true}'],
    ['nested objects', '{"customerId":{"id":"a"}}', '{"productId":"seeded","quantity":{"value":1}}'],
    ['arrays as fields', '{"customerId":["a"]}', '{"productId":["seeded"],"quantity":1}'],
    ['a wrapped body', '{"cart":{"customerId":"a"}}', `{"item":${seededItem}}`],
    ['huge numbers', '{"customerId":1e400}', '{"productId":"seeded","quantity":1e400}'],
    ['beyond safe integers', '{"customerId":9007199254740993}', '{"productId":"p","quantity":9007199254740993}'],
    ['negative numbers', '{"customerId":-1}', '{"productId":"seeded","quantity":-1}'],
    ['a negative price', '{"customerId":"-1","n":-1}', '{"productId":"p","quantity":1,"unitPriceCents":-1}'],
    ['floats', '{"customerId":1.5}', '{"productId":"seeded","quantity":1.5}'],
    ['a float price', '{"customerId":0.5}', '{"productId":"p","quantity":1,"unitPriceCents":0.5}'],
    ['zero quantity', '{"customerId":0}', '{"productId":"seeded","quantity":0}'],
    ['a quantity over 10000', '{"customerId":10001}', '{"productId":"p","quantity":10001,"unitPriceCents":1}'],
    ['a price over the limit', '{"customerId":1e8}', '{"productId":"p","quantity":1,"unitPriceCents":100000001}'],
    ['a null price', '{"customerId":"a","price":null}', '{"productId":"seeded","quantity":1,"unitPriceCents":null}'],
    ['empty strings', '{"customerId":""}', '{"productId":"","quantity":1,"unitPriceCents":1}'],
    ['101-char strings', `{"customerId":"${'ü'.repeat(101)}"}`, `{"productId":"${'ü'.repeat(101)}","quantity":1}`],
    ['extra fields', '{"customerId":"a","isAdmin":true}', seededItem.replace('}', ',"discountCents":50}')],
    ['a unicode field name', '{"cüstomerId":"a"}', '{"prödüctId":"seeded","quantity":1}'],
    ['a __proto__ field', '{"customerId":"a","__proto__":{"x":1}}', seededItem.replace('}', ',"__proto__":{"x":1}}')],
    ['a constructor field', '{"customerId":"a","constructor":{}}', seededItem.replace('}', ',"constructor":{}}')],
    ['duplicate keys', '{"customerId":"a","customerId":7}', '{"productId":"seeded","quantity":1,"quantity":"1"}'],
    ['a domain refusal', '{"customerId":{}}', '{"productId":"new-product","quantity":1}'],
    ['a line over 10000', '{"customerId":[]}', '{"productId":"seeded","quantity":10000}'],
  ];

  describe('never answers an odd body with a 500 or an event', () => {
    let cartId: string;

    beforeAll(async () => {
      cartId = (await open()).cartId;
      await postJson(`/carts/${cartId}/items`, seededItem).expect(200);
    });

    it.each(oddBodies.map(([what, cartBody]) => [what, cartBody]))('POST /carts with %s', async (_, body) => {
      const before = await allEvents();
      expectProblem(await postJson('/carts', body), [400, 422]);
      expect(await allEvents()).toBe(before);
    });

    it.each(oddBodies.map(([what, , itemBody]) => [what, itemBody]))(
      'POST /carts/{id}/items with %s',
      async (_, body) => {
        const [before, cartEvents] = [await allEvents(), (await eventsOf(cartId)).length];
        expectProblem(await postJson(`/carts/${cartId}/items`, body), [400, 422]);
        expect((await eventsOf(cartId)).length).toBe(cartEvents);
        expect(await allEvents()).toBe(before);
      },
    );
  });

  it('refuses odd removal quantities and product ids with 400, and removing too many with 422', async () => {
    const { cartId } = await open();
    await postJson(`/carts/${cartId}/items`, seededItem).expect(200);
    const before = await allEvents();
    for (const query of ['quantity=0', 'quantity=-1', 'quantity=1.5', 'quantity=abc', 'quantity=10001'])
      expectProblem(await api().delete(`/carts/${cartId}/items/seeded?${query}`), 400, VALIDATION);
    for (const query of ['quantity=1e0', 'quantity=', 'quantity=1&quantity=1', 'quantity=99999999999999999999'])
      expectProblem(await api().delete(`/carts/${cartId}/items/seeded?${query}`), 400, VALIDATION);
    expectProblem(await api().delete(`/carts/${cartId}/items/${'p'.repeat(101)}`), 400, VALIDATION);
    expectProblem(await api().delete(`/carts/${cartId}/items/seeded?quantity=2`), 422);
    expect(await allEvents()).toBe(before);
  });

  it('answers a stale If-Match with 412 and the current ETag, appending nothing, on every command', async () => {
    const { cartId } = await open();
    const item = { productId: 'shoes', quantity: 1, unitPriceCents: 100 };
    const added = await add(cartId, item).set('If-Match', '"1"').expect(200);
    expect(added.body).toMatchObject({ cartId, version: 2 });
    for (const stale of [
      await add(cartId, item).set('If-Match', '"1"'),
      await api().delete(`/carts/${cartId}/items/shoes`).set('If-Match', '"1"'),
      await api().post(`/carts/${cartId}/checkout`).set('If-Match', '"1"'),
      await api().post(`/carts/${cartId}/checkout`).set('If-Match', '"7"'),
    ]) {
      expectProblem(stale, 412, 'urn:ledgerline:problem:version-mismatch');
      expect(stale.headers.etag).toBe('"2"');
    }
    expect(await eventsOf(cartId)).toHaveLength(2);
    await api().post(`/carts/${cartId}/checkout`).set('If-Match', '"2"').expect(200);
  });

  it('answers a malformed If-Match with 400 on every command, appending nothing', async () => {
    const { cartId } = await open();
    await add(cartId, { productId: 'shoes', quantity: 1, unitPriceCents: 100 }).expect(200);
    for (const ifMatch of ['abc', '"v2"', '"-1"', '1.5', '"2", "3"']) {
      expectProblem(await add(cartId, { productId: 'shoes', quantity: 1 }).set('If-Match', ifMatch), 400);
      expectProblem(await api().delete(`/carts/${cartId}/items/shoes`).set('If-Match', ifMatch), 400);
      expectProblem(await api().post(`/carts/${cartId}/checkout`).set('If-Match', ifMatch), 400);
    }
    expect(await eventsOf(cartId)).toHaveLength(2);
  });

  it('accepts 50 concurrent add-item commands without If-Match, every one of them', async () => {
    const { cartId } = await open();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => add(cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 10 })),
    );
    const succeeded = responses.filter((response) => response.status >= 200 && response.status < 300);
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 50 }, () => 200));
    const versions = succeeded.map((response) => (response.body as CommandBody).version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: succeeded.length }, (_, index) => index + 2));
    const events = await eventsOf(cartId);
    expect(events).toHaveLength(1 + succeeded.length);
    const last = succeeded.find((response) => (response.body as CommandBody).version === events.length);
    const cart = await api()
      .get(`/carts/${cartId}`)
      .query({ consistentWith: (last?.body as CommandBody).position })
      .expect(200);
    expect(cart.body).toMatchObject({ items: [{ productId: 'shoes', quantity: 2 * succeeded.length }] });
  });

  it('replays a repeated POST /carts with the same Idempotency-Key and opens one cart', async () => {
    const customerId = `idempotent-${randomUUID()}`;
    const key = randomUUID();
    const before = await allEvents();
    const first = await api().post('/carts').set('Idempotency-Key', key).send({ customerId });
    const again = await api().post('/carts').set('Idempotency-Key', key).send({ customerId });
    expect(first.status).toBe(201);
    expect([again.status, again.body, again.headers.location]).toEqual([201, first.body, first.headers.location]);
    const { cartId, position } = first.body as CommandBody;
    expect(await eventsOf(cartId)).toHaveLength(1);
    expect(await allEvents()).toBe(before + 1);
    const list = await api().get('/carts').query({ customerId, consistentWith: position }).expect(200);
    expect((list.body as { cartId: string }[]).map((cart) => cart.cartId)).toEqual([cartId]);
  });

  it('replays repeated item, removal and checkout commands with their keys, even after the cart moved on', async () => {
    const { cartId } = await open();
    const item = { productId: 'shoes', quantity: 3, unitPriceCents: 100 };
    const commands = [
      () => add(cartId, item).set('Idempotency-Key', `add-${cartId}`).set('If-Match', '"1"'),
      () => api().delete(`/carts/${cartId}/items/shoes?quantity=1`).set('Idempotency-Key', `remove-${cartId}`),
      () => api().post(`/carts/${cartId}/checkout`).set('Idempotency-Key', `checkout-${cartId}`),
    ];
    const firsts = [];
    for (const command of commands) firsts.push(await command().expect(200));
    expect(await eventsOf(cartId)).toHaveLength(4);
    for (const [index, command] of commands.entries()) {
      const again = await command();
      expect([again.status, again.body]).toEqual([200, firsts[index]?.body]);
    }
    expect(await eventsOf(cartId)).toHaveLength(4);
  });

  it('refuses an Idempotency-Key reused for a different request with 422', async () => {
    const { cartId } = await open();
    const other = await open();
    const key = randomUUID();
    await add(cartId, { productId: 'shoes', quantity: 1, unitPriceCents: 100 }).set('Idempotency-Key', key).expect(200);
    const reused = 'urn:ledgerline:problem:idempotency-key-reused';
    for (const response of [
      await add(cartId, { productId: 'shoes', quantity: 2, unitPriceCents: 100 }).set('Idempotency-Key', key),
      await add(other.cartId, { productId: 'shoes', quantity: 1, unitPriceCents: 100 }).set('Idempotency-Key', key),
      await api().post(`/carts/${cartId}/checkout`).set('Idempotency-Key', key),
      await api().post('/carts').set('Idempotency-Key', key).send({ customerId: 'someone' }),
    ])
      expectProblem(response, 422, reused);
    expect(await eventsOf(cartId)).toHaveLength(2);
    expect(await eventsOf(other.cartId)).toHaveLength(1);
  });

  it('answers 10 concurrent identical requests with one key alike and appends one event', async () => {
    const { cartId } = await open();
    const key = randomUUID();
    const adds = await Promise.all(
      Array.from({ length: 10 }, () =>
        add(cartId, { productId: 'shoes', quantity: 1, unitPriceCents: 100 }).set('Idempotency-Key', key),
      ),
    );
    expect(adds.map((response) => [response.status, response.body as unknown])).toEqual(
      Array.from({ length: 10 }, () => [200, { cartId, version: 2, position: expect.any(Number) }]),
    );
    expect(new Set(adds.map((response) => (response.body as CommandBody).position)).size).toBe(1);
    expect(await eventsOf(cartId)).toHaveLength(2);

    const before = await allEvents();
    const openKey = randomUUID();
    const opens = await Promise.all(
      Array.from({ length: 10 }, () => api().post('/carts').set('Idempotency-Key', openKey).send({ customerId: 'c' })),
    );
    const first = opens[0];
    expect(opens.map((response) => [response.status, response.body as unknown])).toEqual(
      Array.from({ length: 10 }, () => [201, first?.body as unknown]),
    );
    expect(await allEvents()).toBe(before + 1);
  });

  it('refuses an Idempotency-Key longer than 200 characters with 400 and accepts one of 200', async () => {
    const { cartId } = await open();
    const before = await allEvents();
    const long = 'k'.repeat(201);
    for (const response of [
      await api().post('/carts').set('Idempotency-Key', long).send({ customerId: 'c' }),
      await add(cartId, { productId: 'shoes', quantity: 1, unitPriceCents: 100 }).set('Idempotency-Key', long),
      await api().delete(`/carts/${cartId}/items/shoes`).set('Idempotency-Key', long),
      await api().post(`/carts/${cartId}/checkout`).set('Idempotency-Key', long),
    ])
      expectProblem(response, 400);
    expect(await allEvents()).toBe(before);
    await api().post('/carts').set('Idempotency-Key', 'k'.repeat(200)).send({ customerId: 'c' }).expect(201);
  });
});
