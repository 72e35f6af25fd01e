import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { SubscriptionRunner } from '../src/event-sourcing/subscriptions/subscription-runner';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';
import { DRIVER_SECRET, whileProbeQueryFails } from './support/unreachable-database';

const SECRET = 'x'.repeat(32);

describe('the liveness and readiness probes', () => {
  let test: TestApp;

  beforeAll(async () => {
    // READY_MAX_LAG=3: a paused subscription falls that far behind after a few commands.
    test = await startTestApp({ READY_MAX_LAG: '3', AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET });
  });
  afterAll(() => test.close());

  it('answers liveness without a token, even while the database does not answer', async () => {
    await whileProbeQueryFails(test.dataSource, async () => {
      await request(test.url).get('/health').expect(503);
      const response = await request(test.url).get('/health/live').expect(200);
      expect(response.body).toMatchObject({ status: 'ok' });
      expect(response.headers['cache-control']).toContain('no-store');
    });
  });

  it('is ready with the database answering, the migrations applied and the subscriptions caught up', async () => {
    const response = await request(test.url).get('/health/ready').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: {
        database: { status: 'up' },
        migrations: { status: 'up' },
        subscriptions: { status: 'up', lag: { 'cart-details': 0, 'checkout-saga': 0 } },
      },
    });
  });

  it('is not ready while the database does not answer, and says so without echoing the driver', async () => {
    const logged = await whileProbeQueryFails(test.dataSource, async () => {
      const response = await request(test.url).get('/health/ready').expect(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.text).not.toContain('10.1.2.3');
      expect(response.body).toMatchObject({
        type: 'urn:ledgerline:problem:not-ready',
        title: 'Service Unavailable',
        status: 503,
        detail: 'Not ready: database: the database did not answer',
        instance: '/health/ready',
        checks: { database: { status: 'down' }, migrations: { status: 'up' }, subscriptions: { status: 'up' } },
      });
    });
    expect(logged).toContain(DRIVER_SECRET);
    await request(test.url).get('/health/ready').expect(200);
  });

  it('is not ready while a subscription lags READY_MAX_LAG events or more, naming it', async () => {
    const runner = test.app.get(SubscriptionRunner);
    runner.pause('customer-carts');
    try {
      const token = jwt.sign({ sub: 'prober', roles: ['carts:write'] }, SECRET, { expiresIn: '1h' });
      for (let n = 0; n < 3; n += 1) {
        await request(test.url)
          .post('/carts')
          .set('Authorization', `Bearer ${token}`)
          .send({ customerId: `lagging-${n}` })
          .expect(201);
      }
      const response = await eventually(async () => {
        const answer = await request(test.url).get('/health/ready');
        const detail = (answer.body as { detail?: string }).detail ?? '';
        return answer.status === 503 && !/cart-details|checkout-saga|order-details/.test(detail) ? answer : undefined;
      }, 'readiness to name only the paused subscription');
      expect(response.body).toMatchObject({
        type: 'urn:ledgerline:problem:not-ready',
        detail: 'Not ready: subscriptions: customer-carts lags 3 events (READY_MAX_LAG is 3)',
        checks: { database: { status: 'up' }, subscriptions: { status: 'down' } },
      });
    } finally {
      runner.resume('customer-carts');
    }
    await eventually(
      async () => ((await request(test.url).get('/health/ready')).status === 200 ? true : undefined),
      'readiness once the subscription caught up',
    );
  });

  it('is not ready while one of its migrations is not applied', async () => {
    const [latest] = await test.dataSource.query<{ name: string }[]>(
      'SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1',
    );
    await test.dataSource.query(`DELETE FROM migrations WHERE name = '${latest!.name}'`);
    const response = await request(test.url).get('/health/ready').expect(503);
    expect(response.body).toMatchObject({
      detail: "Not ready: migrations: some of this build's migrations are not applied",
      checks: { migrations: { status: 'down' } },
    });
  });
});
