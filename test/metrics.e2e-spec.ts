import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { eventually } from './support/eventually';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'a-metrics-test-secret-of-at-least-32-characters';
const bearer = (roles: string[]) =>
  `Bearer ${jwt.sign({ sub: 'prometheus', roles }, SECRET, { algorithm: 'HS256', expiresIn: 300 })}`;

/** The value of one sample of the Prometheus text, e.g. `metric{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let test: TestApp;
  const api = () => request(test.url);
  const scrape = async () => (await api().get('/metrics').expect(200)).text;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('serves the Prometheus text format with the process defaults', async () => {
    const response = await api().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(response.text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('times requests by route template and counts commands by outcome and appends by category', async () => {
    const { cartId } = (await api().post('/carts').send({ customerId: 'metrics-customer' }).expect(201)).body as {
      cartId: string;
    };
    await api().post(`/carts/${cartId}/checkout`).expect(422);
    await api()
      .post(`/carts/${cartId}/items`)
      .send({ productId: 'socks', quantity: 1, unitPriceCents: 300 })
      .expect(200);
    await api()
      .post(`/carts/${cartId}/items`)
      .set('If-Match', '"1"')
      .send({ productId: 'hat', quantity: 1, unitPriceCents: 100 })
      .expect(412);
    await api().get('/no-such-route').expect(404);

    // Requests are counted once their response has gone out, which may be just after the client has it.
    const text = await eventually(async () => {
      const scraped = await scrape();
      return scraped.includes('route="unmatched",status_code="404"') ? scraped : undefined;
    }, 'the 404 to be counted');
    expect(text).not.toContain(cartId);
    const route = (method: string, path: string, status: number) =>
      sample(text, `http_request_duration_seconds_count{method="${method}",route="${path}",status_code="${status}"}`);
    expect(route('POST', '/carts', 201)).toBe(1);
    expect(route('POST', '/carts/:cartId/checkout', 422)).toBe(1);
    expect(route('POST', '/carts/:cartId/items', 200)).toBe(1);
    expect(route('GET', 'unmatched', 404)).toBe(1);
    const commands = (command: string, outcome: string) =>
      sample(text, `ledgerline_commands_total{command="${command}",outcome="${outcome}"}`);
    expect(commands('OpenCart', 'ok')).toBe(1);
    expect(commands('CheckOutCart', 'rejected')).toBe(1);
    expect(commands('AddItemToCart', 'ok')).toBe(1);
    expect(commands('AddItemToCart', 'conflict')).toBe(1);
    expect(sample(text, 'ledgerline_command_duration_seconds_count{command="AddItemToCart"}')).toBe(2);
    expect(sample(text, 'ledgerline_events_appended_total{category="shopping-cart"}')).toBe(2);
    expect(sample(text, 'ledgerline_append_duration_seconds_count')).toBe(2);
  });

  it('reports every subscription position, lag and parked events, and the head of the store', async () => {
    await api().post('/carts').send({ customerId: 'metrics-lag' }).expect(201);
    const text = await eventually(async () => {
      const scraped = await scrape();
      const head = sample(scraped, 'ledgerline_event_store_head_position');
      return head !== undefined &&
        sample(scraped, 'ledgerline_subscription_position{subscription="cart-details"}') === head
        ? scraped
        : undefined;
    }, 'cart-details to catch up');
    for (const name of ['cart-details', 'customer-carts', 'order-details', 'checkout-saga']) {
      expect(sample(text, `ledgerline_subscription_parked_events{subscription="${name}"}`)).toBe(0);
      expect(sample(text, `ledgerline_subscription_lag_events{subscription="${name}"}`)).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'ledgerline_subscription_lag_events{subscription="cart-details"}')).toBe(0);
  });

  it('shows the PostgreSQL pool, on PostgreSQL only', async () => {
    const text = await scrape();
    const postgres = test.dataSource.options.type === 'postgres';
    expect(sample(text, 'ledgerline_pg_pool_connections') !== undefined).toBe(postgres);
    expect(sample(text, 'ledgerline_pg_pool_idle_connections') !== undefined).toBe(postgres);
    expect(sample(text, 'ledgerline_pg_pool_waiting_clients') !== undefined).toBe(postgres);
  });

  it("counts in each app's own registry", async () => {
    const other = await startTestApp();
    try {
      await request(other.url).post('/carts').send({ customerId: 'metrics-other' }).expect(201);
      const text = (await request(other.url).get('/metrics').expect(200)).text;
      expect(sample(text, 'ledgerline_commands_total{command="OpenCart",outcome="ok"}')).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('GET /metrics, switched off or behind tokens', () => {
  it('answers 404 with METRICS_ENABLED=false', async () => {
    const test = await startTestApp({ METRICS_ENABLED: 'false' });
    try {
      expectProblem(await request(test.url).get('/metrics'), 404, 'urn:ledgerline:problem:not-found');
    } finally {
      await test.close();
    }
  });

  it('needs the metrics or the admin role with AUTH_MODE=jwt', async () => {
    const test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' });
    try {
      await request(test.url).get('/metrics').expect(401);
      const refused = await request(test.url)
        .get('/metrics')
        .set('Authorization', bearer(['read']));
      expectProblem(refused, 403, 'urn:ledgerline:problem:forbidden');
      expect((refused.body as { detail: string }).detail).toBe('This route needs the "metrics" or the "admin" role');
      await request(test.url)
        .get('/metrics')
        .set('Authorization', bearer(['metrics']))
        .expect(200);
      await request(test.url)
        .get('/metrics')
        .set('Authorization', bearer(['admin']))
        .expect(200);
    } finally {
      await test.close();
    }
  });
});
