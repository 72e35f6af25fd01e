import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { tracingActive } from '../src/observability/tracing/spans';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'a-logging-test-secret-of-at-least-32-characters';

/** A pino destination keeping the app's JSON lines. */
function captured(): { write(line: string): void; lines(): Record<string, unknown>[]; text(): string } {
  let text = '';
  return {
    write: (line) => void (text += line),
    lines: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => text,
  };
}

describe('request logs', () => {
  const logs = captured();
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp(
      { AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' },
      { logDestination: logs },
    );
  });
  afterAll(() => test.close());

  it('writes one JSON line per request with route, status, duration, ids and actor, and no token or body', async () => {
    const token = jwt.sign({ sub: 'alice', roles: ['carts:write'] }, SECRET, { algorithm: 'HS256', expiresIn: 300 });
    const correlationId = randomUUID();
    const traceId = randomBytes(16).toString('hex');
    const customerId = `secret-customer-${randomUUID()}`;
    await request(test.url)
      .post('/carts')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Correlation-Id', correlationId)
      .set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`)
      .send({ customerId })
      .expect(201);
    await request(test.url).post('/carts').set('Authorization', 'Bearer not-a-token').send({ customerId }).expect(401);

    // A line is written once the response has gone out, which may be just after the client has it.
    const requests = await eventually(() => {
      const lines = logs.lines().filter((line) => line.msg === 'request completed');
      return lines.length === 2 ? lines : undefined;
    }, 'two request lines');
    expect(requests).toEqual([
      expect.objectContaining({
        level: 30,
        method: 'POST',
        route: '/carts',
        status: 201,
        durationMs: expect.any(Number),
        correlationId,
        traceId,
        actor: 'alice',
      }),
      expect.objectContaining({ method: 'POST', route: '/carts', status: 401 }),
    ]);
    // Tracing is off without OTEL_EXPORTER_OTLP_ENDPOINT: the header names the trace in the log, and no span
    // context is made or stored.
    expect(tracingActive()).toBe(false);
    const { cartId } = (
      await request(test.url)
        .post('/carts')
        .set('Authorization', `Bearer ${token}`)
        .send({ customerId: 'untraced' })
        .expect(201)
    ).body as { cartId: string };
    const reader = jwt.sign({ sub: 'bob', roles: ['read'] }, SECRET, { algorithm: 'HS256', expiresIn: 300 });
    const events = (await request(test.url).get(`/carts/${cartId}/events`).set('Authorization', `Bearer ${reader}`))
      .body as { metadata: Record<string, unknown> }[];
    expect(events.map((event) => event.metadata.traceparent)).toEqual([undefined]);

    expect(logs.text()).not.toContain(token);
    expect(logs.text()).not.toContain('not-a-token');
    expect(logs.text()).not.toContain(customerId);
  });
});

describe('LOG_LEVEL', () => {
  it('leaves the request lines out above info', async () => {
    const logs = captured();
    const test = await startTestApp({ LOG_LEVEL: 'warn' }, { logDestination: logs });
    try {
      await request(test.url).get('/health').expect(200);
    } finally {
      await test.close();
    }
    expect(logs.lines().filter((line) => line.msg === 'request completed')).toEqual([]);
  });
});
