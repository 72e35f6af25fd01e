import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';

const VALIDATION = 'urn:ledgerline:problem:validation-failed';

type EventBody = { position: number; streamId: string; version: number; type: string };
type Parameter = {
  name: string;
  in: string;
  description?: string;
  example?: unknown;
  schema?: Record<string, unknown>;
};

describe("an aggregate's event list, a page at a time", () => {
  let test: TestApp;
  let cartId: string;
  const api = () => request(test.url);
  const versions = (events: EventBody[]) => events.map((event) => event.version);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  /** The path of the next page, from the Link header's rel="next", if there is one. */
  const next = (response: request.Response) => /^<([^>]+)>; rel="next"$/.exec(response.headers.link ?? '')?.[1];

  beforeAll(async () => {
    test = await startTestApp();
    cartId = ((await api().post('/carts').send({ customerId: 'paged' }).expect(201)).body as { cartId: string }).cartId;
    for (let i = 1; i < 150; i += 1) {
      await api()
        .post(`/carts/${cartId}/items`)
        .send({ productId: `p-${i}`, quantity: 1, unitPriceCents: 1 })
        .expect(200);
    }
  });
  afterAll(() => test.close());

  it('answers the first 100 events by default and links the next page, until the last', async () => {
    const first = await api().get(`/carts/${cartId}/events`).expect(200);
    expect(versions(first.body as EventBody[])).toEqual(range(1, 100));
    expect(next(first)).toBe(`/carts/${cartId}/events?afterVersion=100&limit=100`);

    const second = await api().get(next(first)!).expect(200);
    expect(versions(second.body as EventBody[])).toEqual(range(101, 150));
    expect(second.headers.link).toBeUndefined();
  });

  it('pages with afterVersion and limit, every event exactly once, up to 1000 at a time', async () => {
    const all = (await api().get(`/carts/${cartId}/events?limit=1000`).expect(200)).body as EventBody[];
    expect(versions(all)).toEqual(range(1, 150));

    const paged: EventBody[] = [];
    let path: string | undefined = `/carts/${cartId}/events?limit=7`;
    while (path !== undefined) {
      const response = await api().get(path).expect(200);
      const page = response.body as EventBody[];
      expect(page.length).toBeLessThanOrEqual(7);
      paged.push(...page);
      path = next(response);
    }
    expect(paged).toEqual(all);

    const tail = await api().get(`/carts/${cartId}/events?afterVersion=148&limit=5`).expect(200);
    expect(versions(tail.body as EventBody[])).toEqual([149, 150]);
    expect(tail.headers.link).toBeUndefined();
  });

  it('answers an empty page past the end of an existing aggregate, and 404 for an unknown one', async () => {
    for (const afterVersion of [150, 10_000]) {
      const response = await api().get(`/carts/${cartId}/events?afterVersion=${afterVersion}`).expect(200);
      expect(response.body).toEqual([]);
      expect(response.headers.link).toBeUndefined();
    }
    for (const query of ['', '?afterVersion=0', '?afterVersion=3&limit=2']) {
      expectProblem(await api().get(`/carts/${randomUUID()}/events${query}`), 404);
      expectProblem(await api().get(`/orders/${randomUUID()}/events${query}`), 404);
    }
  });

  it('refuses other limits and versions with a problem+json 400', async () => {
    for (const route of [`/carts/${cartId}/events`, `/orders/${randomUUID()}/events`]) {
      for (const limit of ['0', '1001', '-1', '1.5', 'abc', ''])
        expectProblem(await api().get(route).query({ limit }), 400, VALIDATION);
      for (const afterVersion of ['-1', '1.5', 'abc', '2147483648'])
        expectProblem(await api().get(route).query({ afterVersion }), 400, VALIDATION);
    }
  });

  it("pages an order's events the same way", async () => {
    const lines = { productId: 'shoes', quantity: 1, unitPriceCents: 700 };
    const cart = (await api().post('/carts').send({ customerId: 'paged-order' }).expect(201)).body as {
      cartId: string;
    };
    await api().post(`/carts/${cart.cartId}/items`).send(lines).expect(200);
    await api().post(`/carts/${cart.cartId}/checkout`).expect(200);
    let orderId: string | undefined;
    for (const deadline = Date.now() + 5000; orderId === undefined && Date.now() < deadline;) {
      const orders = (await api().get('/orders').query({ cartId: cart.cartId }).expect(200)).body as {
        orderId: string;
      }[];
      orderId = orders[0]?.orderId;
      if (orderId === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await api().post(`/orders/${orderId}/payments`).send({ amountCents: 700 }).expect(200);
    await api().post(`/orders/${orderId}/shipment`).expect(200);

    const all = (await api().get(`/orders/${orderId}/events`).expect(200)).body as EventBody[];
    expect(versions(all)).toEqual([1, 2, 3]);
    const first = await api().get(`/orders/${orderId}/events?limit=2`).expect(200);
    expect(versions(first.body as EventBody[])).toEqual([1, 2]);
    expect(next(first)).toBe(`/orders/${orderId}/events?afterVersion=2&limit=2`);
    const last = await api().get(next(first)!).expect(200);
    expect(last.body).toEqual(all.slice(2));
    expect(last.headers.link).toBeUndefined();
  });

  it('documents afterVersion and limit on both routes, with descriptions rather than example values', async () => {
    const document = (await api().get('/docs-json').expect(200)).body as {
      paths: Record<string, { get: { parameters: Parameter[]; responses: Record<string, { headers?: object }> } }>;
    };
    for (const path of ['/carts/{cartId}/events', '/orders/{orderId}/events']) {
      const { parameters, responses } = document.paths[path]!.get;
      const query = Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
      expect(Object.keys(query).sort()).toEqual(['afterVersion', 'limit']);
      expect(query.limit?.schema).toMatchObject({ minimum: 1, maximum: 1000, default: 100 });
      expect(query.afterVersion?.schema).toMatchObject({ minimum: 0 });
      for (const parameter of Object.values(query)) {
        expect(parameter.description ?? '').not.toBe('');
        expect(parameter.example ?? parameter.schema?.example).toBeUndefined();
      }
      expect(Object.keys(responses['200']?.headers ?? {})).toEqual(['Link']);
    }
  });
});
