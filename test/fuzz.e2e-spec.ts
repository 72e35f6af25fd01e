import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Property: whatever a client sends, the service answers without a 5xx, and the event log grows only
 * when the answer is a 2xx. Thousands of generated bodies and query strings over real HTTP.
 */
describe('fuzzing every command body and query string', () => {
  let test: TestApp;
  let cartId: string;
  let checkedOutCart: string;
  let orderId: string;

  const send = async (method: string, path: string, body?: unknown, raw = false) => {
    const response = await fetch(`${test.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text };
  };
  const eventCount = async () =>
    Number((await test.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM events'))[0]!.n);

  beforeAll(async () => {
    test = await startTestApp({ CONSISTENCY_WAIT_MS: '50', COMMAND_RETRIES: '2' });
    const json = async (method: string, path: string, body?: unknown) =>
      JSON.parse((await send(method, path, body)).text) as Record<string, string>;
    cartId = (await json('POST', '/carts', { customerId: 'fuzz' })).cartId!;
    checkedOutCart = (await json('POST', '/carts', { customerId: 'fuzz' })).cartId!;
    await json('POST', `/carts/${checkedOutCart}/items`, { productId: 'p', quantity: 1, unitPriceCents: 100 });
    await json('POST', `/carts/${checkedOutCart}/checkout`);
    for (let tries = 0; tries < 100 && orderId === undefined; tries += 1) {
      orderId = ((await json('GET', `/orders?cartId=${checkedOutCart}`)) as unknown as { orderId: string }[])[0]
        ?.orderId as string;
      if (orderId === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(() => test.close());

  /** Names every object inherits: class-transformer used to drop them silently. */
  const prototypeNames = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
  /** Text PostgreSQL's jsonb cannot hold: lone surrogates (JSON.stringify escapes them as \udXXX). */
  const unstorable = fc.oneof(
    fc.constantFrom('ab\ud800cd', '\udc00', 'x\ud83d', '\ude00💥', '\u0000'),
    fc
      .tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0xd800, max: 0xdfff }))
      .map(([text, unit]) => `${text}${String.fromCharCode(unit)}`),
  );
  /** Arrays and objects nested up to 2,000 deep: anything over 32 must be a 400, never a stack overflow. */
  const nested = fc
    .tuple(fc.integer({ min: 1, max: 2000 }), fc.boolean())
    .map(([depth, arrays]) =>
      arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
    );

  /** Values a client might send where a field is expected: right, wrong, odd and hostile. */
  const field = fc.oneof(
    fc.integer({ min: -5, max: 20_000 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, 1, 10_000, 10_001, 100_000_000, 100_000_001, Number.MAX_SAFE_INTEGER, -0, 1e308),
    fc.string({ maxLength: 120 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', 'p', '1', '1.5', 'null', '__proto__', '\u0000', 'a'.repeat(101), '💥'.repeat(60)),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
    unstorable,
  );
  const body = (keys: string[]) =>
    fc.oneof(
      fc.record(Object.fromEntries(keys.map((key) => [key, field])), { requiredKeys: [] }),
      fc.record({ ...Object.fromEntries(keys.map((key) => [key, field])), extra: field }, { requiredKeys: [] }),
      fc
        .tuple(
          fc.record(Object.fromEntries(keys.map((key) => [key, field]))),
          fc.constantFrom(...prototypeNames),
          field,
        )
        .map(([valid, name, value]) => ({ ...valid, [name]: value })),
      fc.anything({ maxDepth: 2 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
  const rawBody = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom('{', '{"a":', '[1,', 'nul', '{"quantity": 1e999}'),
    nested,
    fc.tuple(fc.constantFrom('customerId', 'productId', 'reason'), nested).map(([key, value]) => `{"${key}":${value}}`),
    fc.constantFrom(...prototypeNames).map((name) => `{"customerId":"c","productId":"p","quantity":1,"${name}":1}`),
    unstorable.map((text) => `{"customerId":${JSON.stringify(text)},"productId":${JSON.stringify(text)},"quantity":1}`),
  );
  const queryValue = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', '-1', '0', '1', '1.5', '1e3', '99999999999999999999', 'abc', '%00', '%ZZ', '2147483648'),
  );
  const query = (keys: string[]) =>
    fc
      .array(fc.tuple(fc.constantFrom(...keys, 'extra', ...prototypeNames), queryValue), { maxLength: 4 })
      .map((pairs) => pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&'));

  async function holds(method: string, path: string, payload: unknown, raw = false): Promise<boolean> {
    const before = await eventCount();
    const { status, text } = await send(method, path, payload, raw);
    const after = await eventCount();
    if (status >= 500 || (after !== before && (status < 200 || status >= 300))) {
      throw new Error(`${method} ${path} ${JSON.stringify(payload)} → ${status} ${text} (events ${before}→${after})`);
    }
    return true;
  }

  async function refused(method: string, path: string, payload?: unknown): Promise<boolean> {
    const before = await eventCount();
    const { status, text } = await send(method, path, payload);
    if (status !== 400 || (await eventCount()) !== before) {
      throw new Error(`${method} ${path} ${JSON.stringify(payload)} → ${status} ${text}: expected 400 and no event`);
    }
    return true;
  }

  const runs = { numRuns: 400 };
  it('refuses any valid command with an Object.prototype name or unstorable text in it', () =>
    fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          { path: '/carts', valid: { customerId: 'c' }, text: 'customerId' },
          {
            path: `/carts/${cartId}/items`,
            valid: { productId: 'p', quantity: 1, unitPriceCents: 1 },
            text: 'productId',
          },
        ),
        fc.oneof(
          fc.tuple(fc.constantFrom(...prototypeNames), field).map(([name, value]) => ({ name, value })),
          unstorable.map((value) => ({ name: undefined, value })),
        ),
        ({ path, valid, text }, { name, value }) => refused('POST', path, { ...valid, [name ?? text]: value }),
      ),
      runs,
    ));
  it('refuses a query with an Object.prototype name', () =>
    fc.assert(
      fc.asyncProperty(fc.constantFrom(...prototypeNames), (name) => refused('GET', `/carts?customerId=c&${name}=1`)),
      { numRuns: 50 },
    ));
  it('POST /carts', () =>
    fc.assert(
      fc.asyncProperty(body(['customerId']), (payload) => holds('POST', '/carts', payload)),
      runs,
    ));
  it('POST /carts/{id}/items', () =>
    fc.assert(
      fc.asyncProperty(body(['productId', 'quantity', 'unitPriceCents']), (payload) =>
        holds('POST', `/carts/${cartId}/items`, payload),
      ),
      runs,
    ));
  it('POST /carts/{id}/items on a checked-out cart', () =>
    fc.assert(
      fc.asyncProperty(body(['productId', 'quantity', 'unitPriceCents']), (payload) =>
        holds('POST', `/carts/${checkedOutCart}/items`, payload),
      ),
      runs,
    ));
  it('malformed JSON text on every command', () =>
    fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/carts', `/carts/${cartId}/items`, `/orders/${orderId}/payments`),
        rawBody,
        (path, payload) => holds('POST', path, payload, true),
      ),
      runs,
    ));
  it('DELETE /carts/{id}/items/{productId}?quantity=', () =>
    fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 120 }), query(['quantity']), (productId, search) =>
        holds('DELETE', `/carts/${cartId}/items/${encodeURIComponent(productId)}?${search}`, undefined),
      ),
      runs,
    ));
  it('order commands', () =>
    fc.assert(
      fc.asyncProperty(
        fc.constantFrom('payments', 'cancellation', 'shipment'),
        body(['amountCents', 'reason']),
        (command, payload) => holds('POST', `/orders/${orderId}/${command}`, payload),
      ),
      runs,
    ));
  it('query strings of every read', () =>
    fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          `/carts/${cartId}`,
          '/carts',
          `/orders/${orderId}`,
          '/orders',
          '/events',
          `/carts/${cartId}/events`,
          '/streams',
          `/streams/shopping-cart-${cartId}/events`,
        ),
        query([
          'consistentWith',
          'atVersion',
          'asOf',
          'customerId',
          'cartId',
          'after',
          'limit',
          'afterVersion',
          'correlationId',
          'category',
          'prefix',
          'aggregateId',
        ]),
        (path, search) => holds('GET', `${path}?${search}`, undefined),
      ),
      runs,
    ));
  it('ids in paths', () =>
    fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 80 })), (id) =>
        holds('POST', `/carts/${encodeURIComponent(id)}/checkout`, undefined),
      ),
      runs,
    ));
  it('stream ids in paths', () =>
    fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1, maxLength: 320 }), fc.constantFrom('\u0000', 'x'.repeat(301), '%', '..')),
        (id) => holds('GET', `/streams/${encodeURIComponent(id)}/events`, undefined),
      ),
      runs,
    ));

  it('kept the cart it fuzzed consistent with its events', async () => {
    const events = JSON.parse((await send('GET', `/carts/${cartId}/events`)).text) as unknown[];
    const replayed = JSON.parse((await send('GET', `/carts/${cartId}?atVersion=${events.length}`)).text) as object;
    expect(replayed).toMatchObject({ cartId, version: events.length });
  });
});
