import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const VALIDATION = 'urn:ledgerline:problem:validation-failed';

/** What the HTTP door refuses before any command runs, and how the refusals read. */
describe('request bodies, query strings and problem responses', () => {
  let test: TestApp;
  let cartId: string;
  const api = () => request(test.url);
  const postJson = (path: string, raw: string, type = 'application/json') =>
    api().post(path).set('Content-Type', type).send(raw);
  const allEvents = async () =>
    Number((await test.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM events'))[0]?.n ?? -1);
  const fields = (response: request.Response) =>
    (response.body as { errors: { field: string; messages: string[] }[] }).errors;

  beforeAll(async () => {
    test = await startTestApp();
    cartId = ((await api().post('/carts').send({ customerId: 'bodies' }).expect(201)).body as { cartId: string })
      .cartId;
  });
  afterAll(() => test.close());

  it('refuses JSON nested deeper than 32 levels with 400, however deep', async () => {
    const nested = (depth: number) => `{"customerId":"c","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const before = await allEvents();
    for (const depth of [32, 1340])
      expectProblem(await postJson('/carts', nested(depth)), 400, 'urn:ledgerline:problem:json-too-deep');
    expectProblem(
      await postJson(`/carts/${cartId}/items`, `{"productId":${'{"a":'.repeat(1340)}1${'}'.repeat(1340)}}`),
      400,
    );
    expect(await allEvents()).toBe(before);
    const shallow = `{"customerId":"c","x":${'['.repeat(30)}${']'.repeat(30)}}`;
    expect(fields(await postJson('/carts', shallow))).toEqual([
      { field: 'x', messages: ['property x should not exist'] },
    ]);
  });

  it('refuses lone UTF-16 surrogates in any field with 400, and keeps paired ones', async () => {
    const before = await allEvents();
    for (const response of [
      await postJson('/carts', '{"customerId":"ab\\ud800cd"}'),
      await postJson(`/carts/${cartId}/items`, '{"productId":"ab\\udc00","quantity":1,"unitPriceCents":1}'),
    ])
      expectProblem(response, 400, VALIDATION);
    expect(await allEvents()).toBe(before);
    await postJson('/carts', '{"customerId":"\\ud83d\\udca5"}').expect(201);
  });

  it('refuses fields named after Object.prototype members as unknown fields', async () => {
    for (const name of ['hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', '__defineGetter__']) {
      const body = await postJson('/carts', `{"customerId":"x","${name}":"1"}`);
      expectProblem(body, 400, VALIDATION);
      expect(fields(body)).toEqual([{ field: name, messages: [expect.any(String)] }]);
      expectProblem(await api().get(`/carts?customerId=x&${name}=1`), 400, VALIDATION);
    }
  });

  it('lists at most 20 failing fields and says how many there were', async () => {
    const keys = Array.from({ length: 10_225 }, (_, n) => `"k${n}":1`).join(',');
    const response = await postJson('/carts', `{"customerId":"x",${keys}}`);
    expectProblem(response, 400, VALIDATION);
    expect(fields(response)).toHaveLength(20);
    expect((response.body as { detail: string }).detail).toContain('10225');
    expect(response.text.length).toBeLessThan(5000);
  });

  it('parses +json media types as JSON', async () => {
    await postJson('/carts', '{"customerId":"vendor"}', 'application/vnd.ledgerline+json').expect(201);
    await postJson(
      `/carts/${cartId}/items`,
      '{"productId":"p","quantity":1,"unitPriceCents":1}',
      'application/x+json',
    ).expect(200);
  });

  it('answers a number sent as a string with one clear message', async () => {
    const response = await postJson(`/carts/${cartId}/items`, '{"productId":"p","quantity":"2","unitPriceCents":1}');
    expectProblem(response, 400, VALIDATION);
    expect(fields(response)).toEqual([{ field: 'quantity', messages: ['quantity must be an integer number'] }]);
  });

  it('gives malformed JSON a problem type of its own, not about:blank', async () => {
    expectProblem(await postJson('/carts', '{"customerId": '), 400, 'urn:ledgerline:problem:malformed-json');
  });

  it('names the body limit in a 413', async () => {
    const response = await postJson('/carts', JSON.stringify({ customerId: 'x'.repeat(150_000) }));
    expectProblem(response, 413, 'urn:ledgerline:problem:payload-too-large');
    expect((response.body as { detail: string }).detail).toContain('102400 bytes');
  });

  it('sends no ETag with a problem', async () => {
    for (const response of [
      await api().get('/carts/3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11'),
      await postJson('/carts', '{}'),
      await postJson('/carts', '{"customerId": '),
      await api().get('/no/such/route'),
    ])
      expect(response.headers.etag).toBeUndefined();
  });

  it('counts a product id in Unicode code points alike when adding and removing it', async () => {
    const emoji = (count: number) => '💥'.repeat(count);
    const add = (productId: string) =>
      api().post(`/carts/${cartId}/items`).send({ productId, quantity: 1, unitPriceCents: 1 });
    await add(emoji(51)).expect(200);
    await api()
      .delete(`/carts/${cartId}/items/${encodeURIComponent(emoji(51))}`)
      .expect(200);
    await add(emoji(100)).expect(200);
    await api()
      .delete(`/carts/${cartId}/items/${encodeURIComponent(emoji(100))}`)
      .expect(200);
    expectProblem(await add(emoji(101)), 400, VALIDATION);
    expectProblem(await api().delete(`/carts/${cartId}/items/${encodeURIComponent(emoji(101))}`), 400, VALIDATION);
    const document = (await api().get('/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> };
      paths: Record<string, { delete?: { parameters: { name: string; description?: string }[] } }>;
    };
    expect(document.components.schemas.AddItemRequest!.properties.productId!.description).toContain('code points');
    const parameters = document.paths['/carts/{cartId}/items/{productId}']!.delete!.parameters;
    expect(parameters.find((parameter) => parameter.name === 'productId')!.description).toContain('code points');
  });
});
