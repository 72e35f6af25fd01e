import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';

const PROBLEM = /^application\/problem\+json/;
const VALIDATION = 'urn:ledgerline:problem:validation-failed';

type Acknowledged = { cartId: string; version: number; position: number };
type EventBody = {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
};
type LiveEvent = { id: string; data: EventBody };

/** A client of GET /events/live over fetch, reading `id:` and `data:` lines off the text/event-stream body. */
class LiveClient {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | undefined;

  private constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
  ) {}

  static async connect(url: string, headers: Record<string, string> = {}): Promise<LiveClient> {
    const controller = new AbortController();
    const response = await fetch(`${url}/events/live`, { headers, signal: controller.signal });
    if (response.status !== 200 || response.body === null) {
      controller.abort();
      throw new Error(`GET /events/live answered ${response.status}`);
    }
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return new LiveClient(response.body.getReader(), controller);
  }

  /** The next `count` events, waiting at most `withinMs` for them. */
  async take(count: number, withinMs = 5000): Promise<LiveEvent[]> {
    const deadline = Date.now() + withinMs;
    const events: LiveEvent[] = [];
    while (events.length < count) {
      const event = this.parseOne();
      if (event !== undefined) {
        events.push(event);
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`Only ${events.length} of ${count} live events arrived in ${withinMs} ms`);
      // The read stays pending across calls so that a chunk arriving after a timeout is not lost.
      this.pending ??= this.reader.read();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), remaining)));
      const result = await Promise.race([this.pending, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') continue;
      this.pending = undefined;
      if (result.done) throw new Error('The live stream ended');
      this.buffer += this.decoder.decode(result.value, { stream: true });
    }
    return events;
  }

  close(): void {
    this.pending?.catch(() => undefined);
    this.controller.abort();
  }

  private parseOne(): LiveEvent | undefined {
    for (;;) {
      const end = this.buffer.search(/\r?\n\r?\n/);
      if (end < 0) return undefined;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (id !== undefined && data.length > 0) return { id, data: JSON.parse(data.join('\n')) as EventBody };
    }
  }
}

describe('the global event feed', () => {
  let test: TestApp;
  let customer = 0;
  const api = () => request(test.url);
  const open = async () =>
    (
      await api()
        .post('/carts')
        .send({ customerId: `feed-customer-${++customer}` })
        .expect(201)
    ).body as Acknowledged;
  const add = async (cartId: string, productId: string) =>
    (await api().post(`/carts/${cartId}/items`).send({ productId, quantity: 1, unitPriceCents: 100 }).expect(200))
      .body as Acknowledged;
  const feed = async (query: Record<string, number> = {}) =>
    (await api().get('/events').query(query).expect(200)).body as EventBody[];
  const consecutive = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('lists the events of every stream in global position order', async () => {
    const a = await open();
    const b = await open();
    const a2 = await add(a.cartId, 'shoes');
    const b2 = await add(b.cartId, 'socks');
    const a3 = await add(a.cartId, 'mug');

    const page = await feed({ after: a.position - 1, limit: 5 });
    expect(page.map((event) => [event.position, event.streamId, event.version, event.type])).toEqual([
      [a.position, `shopping-cart-${a.cartId}`, 1, 'shopping-cart.opened.v2'],
      [b.position, `shopping-cart-${b.cartId}`, 1, 'shopping-cart.opened.v2'],
      [a2.position, `shopping-cart-${a.cartId}`, 2, 'shopping-cart.item-added.v1'],
      [b2.position, `shopping-cart-${b.cartId}`, 2, 'shopping-cart.item-added.v1'],
      [a3.position, `shopping-cart-${a.cartId}`, 3, 'shopping-cart.item-added.v1'],
    ]);
    expect(page.map((event) => event.position)).toEqual(consecutive(a.position, 5));
    const history = (await api().get(`/carts/${a.cartId}/events`).expect(200)).body as EventBody[];
    expect(page.filter((event) => event.streamId === `shopping-cart-${a.cartId}`)).toEqual(history);
    expect(page[2]?.data).toMatchObject({ cartId: a.cartId, productId: 'shoes', quantity: 1, unitPriceCents: 100 });
  });

  it('pages with after and limit, every event exactly once', async () => {
    const start = (await open()).position - 1;
    const cart = await open();
    for (let i = 0; i < 5; i += 1) await add(cart.cartId, `p-${i}`);
    const all = await feed({ after: start, limit: 1000 });
    expect(all).toHaveLength(7);

    const paged: EventBody[] = [];
    for (let after = start; ;) {
      const page = await feed({ after, limit: 3 });
      expect(page.length).toBeLessThanOrEqual(3);
      if (page.length === 0) break;
      paged.push(...page);
      after = (page.at(-1) as EventBody).position;
    }
    expect(paged).toEqual(all);
    expect(await feed({ after: (all.at(-1) as EventBody).position })).toEqual([]);
  });

  it('answers 100 events by default, up to 1000 on request, and refuses other limits with 400', async () => {
    const carts = await Promise.all(Array.from({ length: 4 }, () => open()));
    await Promise.all(carts.map(async ({ cartId }) => Promise.all(consecutive(0, 30).map((n) => add(cartId, `${n}`)))));

    const first = await feed();
    const positions = first.map((event) => event.position);
    expect(new Set(positions).size).toBe(100);
    // Concurrent appends on PostgreSQL come in commit order, which is not always position order.
    const all = await feed({ limit: 1000 });
    expect(all.length).toBeGreaterThan(100);
    expect(first).toEqual(all.slice(0, 100));
    expect(await feed({ after: 0 })).toEqual(first);
    expect((await feed({ limit: 1 })).map((event) => event.position)).toEqual(positions.slice(0, 1));

    for (const limit of ['0', '1001', '-1', '1.5', 'abc', '1e2', ''])
      expectProblem(await api().get('/events').query({ limit }), 400, VALIDATION);
    for (const after of ['-1', '1.5', 'abc'])
      expectProblem(await api().get('/events').query({ after }), 400, VALIDATION);
  });

  it('streams new events live and, after a reconnect with Last-Event-ID, exactly the missed ones', async () => {
    const live = await LiveClient.connect(test.url);
    let resumed: LiveClient | undefined;
    try {
      // Commands sent after connecting: only their events arrive, in order.
      const cart = await open();
      const sent = [cart, await add(cart.cartId, 'shoes'), await add(cart.cartId, 'socks')];
      const received = await live.take(3);
      expect(received.map((event) => Number(event.id))).toEqual(sent.map((ack) => ack.position));
      expect(received.map((event) => event.data)).toEqual(await feed({ after: cart.position - 1, limit: 3 }));
      live.close();

      const lastSeen = Number((received.at(-1) as LiveEvent).id);
      const other = await open();
      const missed = [
        other,
        await add(cart.cartId, 'mug'),
        await add(other.cartId, 'hat'),
        await add(cart.cartId, 'x'),
      ];

      resumed = await LiveClient.connect(test.url, { 'Last-Event-ID': String(lastSeen) });
      const caughtUp = await resumed.take(missed.length);
      const ids = caughtUp.map((event) => Number(event.id));
      expect(ids).toEqual(consecutive(lastSeen + 1, missed.length));
      expect(ids).toEqual(missed.map((ack) => ack.position));
      expect(caughtUp.map((event) => event.data)).toEqual(await feed({ after: lastSeen, limit: missed.length }));

      // Nothing else was queued behind the missed events: the next one is the next command's.
      const next = await add(other.cartId, 'scarf');
      const [arrived] = await resumed.take(1);
      expect(Number(arrived?.id)).toBe(next.position);
      expect(next.position).toBe(lastSeen + missed.length + 1);
      expect(arrived?.data).toEqual((await feed({ after: next.position - 1, limit: 1 }))[0]);
    } finally {
      live.close();
      resumed?.close();
    }
  });

  it('refuses an invalid Last-Event-ID or after with a problem+json 400', async () => {
    const attempts: [Record<string, string>, string][] = [
      ...['abc', '-1', '1.5', '12abc', ''].map((id): [Record<string, string>, string] => [{ 'Last-Event-ID': id }, '']),
      [{}, '?after=abc'],
      [{}, '?after=-1'],
    ];
    for (const [headers, query] of attempts) {
      const controller = new AbortController();
      try {
        const response = await fetch(`${test.url}/events/live${query}`, { headers, signal: controller.signal });
        expect({ headers, query, status: response.status }).toEqual({ headers, query, status: 400 });
        expect(response.headers.get('content-type')).toMatch(PROBLEM);
        expect(await response.json()).toMatchObject({ status: 400, type: VALIDATION });
      } finally {
        controller.abort();
      }
    }
  });
});
