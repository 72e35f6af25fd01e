import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CORRELATED_EVENTS_SQL } from '../src/event-log/browsing/correlated-events';
import { sql } from '../src/event-sourcing/typeorm/sql';
import { expectProblem } from './support/problem';
import { shippedOrder } from './support/order-story';
import { startTestApp, TestApp } from './support/test-app';

interface Stream {
  streamId: string;
  category: string;
  version: number;
  firstPosition: number;
  lastPosition: number;
  firstRecordedAt: string;
  lastRecordedAt: string;
}
interface StoredEvent {
  position: number;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
  hash: string | null;
}
type Acknowledged = { version: number; position: number };

/** The routes the explorer reads: streams, any stream's events, a correlation's story, time travel by time. */
describe('the event explorer API', () => {
  let test: TestApp;
  let cartId: string;
  let orderId: string;
  let checkout: Acknowledged;
  const story = `story-${randomUUID()}`;
  const api = () => request(test.url);
  const streams = async (query: Record<string, string | number>) => {
    const response = await api().get('/streams').query(query).expect(200);
    return { streams: response.body as Stream[], link: response.headers.link };
  };
  const eventsOf = async (streamId: string) =>
    (
      await api()
        .get(`/streams/${encodeURIComponent(streamId)}/events`)
        .expect(200)
    ).body as StoredEvent[];

  beforeAll(async () => {
    test = await startTestApp();
    ({ cartId, checkout, orderId } = await shippedOrder(test.url, {
      customerId: 'explorer',
      lines: ['shoes', 'socks'].map((productId) => ({ productId, quantity: 1, unitPriceCents: 500 })),
      correlationId: story,
    }));
  });
  afterAll(() => test.close());

  describe('GET /streams', () => {
    it("finds a cart's stream by the cart's id, with its category, version, positions and times", async () => {
      const { streams: found } = await streams({ aggregateId: cartId.toUpperCase() });
      const events = await eventsOf(`shopping-cart-${cartId}`);
      expect(found).toEqual([
        {
          streamId: `shopping-cart-${cartId}`,
          category: 'shopping-cart',
          version: 4,
          firstPosition: events[0]!.position,
          lastPosition: checkout.position,
          firstRecordedAt: events[0]!.recordedAt,
          lastRecordedAt: events[3]!.recordedAt,
        },
      ]);
      expect((await streams({ prefix: `shopping-cart-${cartId}` })).streams).toEqual(found);
    });

    it('lists newest activity first and pages with the Link header', async () => {
      const { streams: all } = await streams({ limit: 500 });
      const lasts = all.map((stream) => stream.lastPosition);
      expect(lasts).toEqual([...lasts].sort((a, b) => b - a));
      expect(all[0]).toMatchObject({ streamId: `order-${orderId}`, category: 'order', version: 3 });

      const first = await streams({ limit: 1 });
      expect(first.streams).toEqual([all[0]]);
      expect(first.link).toBe(`</streams?after=${all[0]!.lastPosition}&limit=1>; rel="next"`);
      const second = await streams({ after: all[0]!.lastPosition, limit: 1 });
      expect(second.streams).toEqual([all[1]]);
    });

    it('filters by category', async () => {
      const { streams: orders } = await streams({ category: 'order' });
      expect(orders.map((stream) => stream.streamId)).toContain(`order-${orderId}`);
      expect(orders.every((stream) => stream.category === 'order')).toBe(true);
      expect((await streams({ category: 'shopping' })).streams).toEqual([]);
      const paged = await streams({ category: 'order', limit: 1 });
      if (orders.length > 1) expect(paged.link).toContain('category=order&after=');
    });

    it('refuses bad filters with 400 problems', async () => {
      for (const query of [
        { limit: '0' },
        { limit: '501' },
        { after: 'x' },
        { aggregateId: 'not-a-uuid' },
        { prefix: '' },
      ]) {
        expectProblem(await api().get('/streams').query(query), 400, 'urn:ledgerline:problem:validation-failed');
      }
    });
  });

  describe('GET /streams/{streamId}/events', () => {
    it("answers any stream's events oldest first, as stored, with metadata and chained hashes", async () => {
      const events = await eventsOf(`order-${orderId}`);
      expect(events.map((event) => [event.version, event.type])).toEqual([
        [1, 'order.placed.v3'],
        [2, 'order.paid.v1'],
        [3, 'order.shipped.v1'],
      ]);
      expect(events.map((event) => event.metadata.correlationId)).toEqual([story, story, story]);
      expect(new Set(events.map((event) => event.hash)).size).toBe(3);
      for (const event of events) expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('pages with afterVersion and limit, and answers 404 for a stream that does not exist', async () => {
      const response = await api()
        .get(`/streams/shopping-cart-${cartId}/events`)
        .query({ afterVersion: 1, limit: 2 })
        .expect(200);
      expect((response.body as StoredEvent[]).map((event) => event.version)).toEqual([2, 3]);
      expect(response.headers.link).toBe(
        `</streams/shopping-cart-${cartId}/events?afterVersion=3&limit=2>; rel="next"`,
      );
      expect(
        await api().get(`/streams/shopping-cart-${cartId}/events`).query({ afterVersion: 9 }).expect(200),
      ).toHaveProperty('body', []);
      expectProblem(
        await api().get(`/streams/no-such-stream-${randomUUID()}/events`),
        404,
        'urn:ledgerline:problem:not-found',
      );
      expectProblem(await api().get(`/streams/${'x'.repeat(301)}/events`), 400);
    });
  });

  describe('GET /events?correlationId=', () => {
    it("tells a correlation's story across streams in the log's order", async () => {
      const response = await api().get('/events').query({ correlationId: story }).expect(200);
      const events = response.body as StoredEvent[];
      expect(events.map((event) => [event.streamId, event.type])).toEqual([
        [`shopping-cart-${cartId}`, 'shopping-cart.checked-out.v3'],
        [`order-${orderId}`, 'order.placed.v3'],
        [`order-${orderId}`, 'order.paid.v1'],
        [`order-${orderId}`, 'order.shipped.v1'],
      ]);
      const page = await api().get('/events').query({ correlationId: story, after: events[1]!.position, limit: 1 });
      expect((page.body as StoredEvent[]).map((event) => event.type)).toEqual(['order.paid.v1']);
      expect((await api().get('/events').query({ correlationId: randomUUID() }).expect(200)).body).toEqual([]);
      expectProblem(
        await api()
          .get('/events')
          .query({ correlationId: 'x'.repeat(201) }),
        400,
      );
    });

    it('finds it through the correlation id index', async () => {
      const engine = test.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
      const plan: unknown[] =
        engine === 'sqlite'
          ? await test.dataSource.query<unknown[]>(`EXPLAIN QUERY PLAN ${CORRELATED_EVENTS_SQL.sqlite}`, [story, 0, 10])
          : await test.dataSource.transaction(async (manager) => {
              // A test database is tiny and a sequential scan would win: ask whether the index can serve at all.
              await manager.query('SET LOCAL enable_seqscan = off');
              return manager.query<unknown[]>(`EXPLAIN ${sql('postgres', CORRELATED_EVENTS_SQL.postgres)}`, [
                story,
                '0',
                0,
                10,
              ]);
            });
      expect(JSON.stringify(plan)).toContain('ix_events_correlation_id');
    });
  });

  describe('time travel with asOf', () => {
    it('shows a cart as it was after its last event recorded at or before the instant, to the millisecond', async () => {
      const events = await eventsOf(`shopping-cart-${cartId}`);
      for (const event of events) {
        const at = new Date(event.recordedAt);
        // Events recorded in the same millisecond are all in the state at that millisecond.
        const version = Math.max(...events.filter((other) => new Date(other.recordedAt) <= at).map((e) => e.version));
        const response = await api().get(`/carts/${cartId}`).query({ asOf: event.recordedAt }).expect(200);
        expect(response.body).toMatchObject({ cartId, version });
        expect(response.headers.etag).toBe(`"${version}"`);
      }
      const second = events[1]!;
      const justBefore = new Date(new Date(second.recordedAt).getTime() - 1).toISOString();
      const before = (await api().get(`/carts/${cartId}`).query({ asOf: justBefore }).expect(200)).body as {
        version: number;
      };
      expect(before.version).toBeLessThan(2);
      const offset = (await api().get(`/carts/${cartId}`).query({ asOf: '2999-01-01T01:00:00+01:00' }).expect(200))
        .body as { status: string; version: number };
      expect(offset).toMatchObject({ status: 'checked_out', version: 4 });
    });

    it('shows an order as it was, and 404 before its first event or for an unknown one', async () => {
      const events = await eventsOf(`order-${orderId}`);
      const placed = (await api().get(`/orders/${orderId}`).query({ asOf: events[0]!.recordedAt }).expect(200))
        .body as { status: string; version: number };
      if (events[1]!.recordedAt !== events[0]!.recordedAt)
        expect(placed).toMatchObject({ status: 'placed', version: 1 });
      const early = new Date(new Date(events[0]!.recordedAt).getTime() - 1).toISOString();
      const notYet = await api().get(`/orders/${orderId}`).query({ asOf: early });
      expectProblem(notYet, 404, 'urn:ledgerline:problem:not-found');
      expect((notYet.body as { detail: string }).detail).toBe(`Order ${orderId} did not exist yet at ${early}`);
      expectProblem(await api().get(`/carts/${randomUUID()}`).query({ asOf: new Date().toISOString() }), 404);
    });

    it('refuses an instant that is not one, and asOf together with atVersion, with 400', async () => {
      for (const asOf of ['yesterday', '2026-11-26T11:20:00', '2026-13-01T00:00:00Z', '2026-11-26 11:20:00Z', '']) {
        expectProblem(
          await api().get(`/carts/${cartId}`).query({ asOf }),
          400,
          'urn:ledgerline:problem:validation-failed',
        );
      }
      expectProblem(
        await api().get(`/orders/${orderId}`).query({ asOf: new Date().toISOString(), atVersion: 1 }),
        400,
        'urn:ledgerline:problem:validation-failed',
      );
    });
  });
});
