import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import request from 'supertest';
import { EventStore, NO_STREAM } from '../src/event-sourcing/event-store';
import { Type } from '@sinclair/typebox';
import { eventData } from '../src/event-sourcing/event-schema';
import { EventType } from '../src/event-sourcing/event-type';
import { LiveReader } from './support/live-reader';
import { startTestApp, TestApp } from './support/test-app';

/** An event no projection or saga knows, to fill the log quickly. */
@EventType('live-feed-test.padding.v1', eventData({ text: Type.String() }))
class Padding {
  constructor(readonly text: string) {}
}

const MB = 2 ** 20;
/**
 * About 6.5 MB as Server-Sent Events: more than the buffers of a loopback connection hold (about 4 MB on
 * Linux), so readers stall with a few MB still to send.
 */
const LOG_EVENTS = 5000;
const SLOW_READERS = 50;
const QUIET = { PAUSED_SUBSCRIPTIONS: 'cart-details,customer-carts,order-details,checkout-saga' };

/** Appends `count` padding events of about 1 KB each (a multiple of 100); the head position. */
async function fill(test: TestApp, count: number): Promise<number> {
  const store = test.app.get(EventStore);
  let head = 0;
  for (let stream = 0; stream < count / 100; stream += 1) {
    const events = Array.from({ length: 100 }, () => new Padding('x'.repeat(1000)));
    head = (await store.append(`padding-${stream}`, NO_STREAM, events)).positions.at(-1)!;
  }
  return head;
}

async function eventually(condition: () => boolean, what: string | (() => string), withinMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + withinMs; !condition();) {
    if (Date.now() > deadline)
      throw new Error(`Not within ${withinMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The live responses the server has open, watched from inside the process. */
function watchLiveResponses(test: TestApp): Set<ServerResponse> {
  const open = new Set<ServerResponse>();
  test.app.getHttpServer().on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/events/live')) return;
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  return open;
}

describe('the live feed with slow readers', () => {
  let test: TestApp;
  let head: number;
  let live: Set<ServerResponse>;
  const readers: LiveReader[] = [];

  beforeAll(async () => {
    test = await startTestApp({ ...QUIET, LIVE_STREAMS_PER_CLIENT: '100', LIVE_STREAM_STALL_MS: '600000' });
    head = await fill(test, LOG_EVENTS);
    live = watchLiveResponses(test);
  });
  afterAll(async () => {
    for (const reader of readers) reader.close();
    await Promise.all(readers.map((reader) => reader.closed));
    await test.close();
  });

  it('wakes the streams waiting at the head with shared reads, not one read each', async () => {
    const store = test.app.get(EventStore);
    const waiting = await Promise.all(Array.from({ length: 30 }, () => LiveReader.open(test.url)));
    readers.push(...waiting);
    const reads = jest.spyOn(store, 'readAll');
    try {
      for (let append = 1; append <= 5; append += 1) {
        const [position] = (await store.append(`padding-wake-${append}`, NO_STREAM, [new Padding('')])).positions;
        for (const reader of waiting) expect((await reader.readUntil(position!)).at(-1)).toBe(position);
      }
      // Every stream reading on its own would make at least 30 × 5 reads.
      expect(reads.mock.calls.length).toBeLessThan(30);
    } finally {
      reads.mockRestore();
      for (const reader of waiting) reader.close();
      await eventually(() => live.size === 0, 'the streams to close');
      head += 5;
    }
  });

  it(`answers /health and holds no backlog in memory while ${SLOW_READERS} readers stall on a ${LOG_EVENTS}-event log`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;

    const slow = await Promise.all(
      Array.from({ length: SLOW_READERS }, () => LiveReader.open(test.url, '/events/live?after=0')),
    );
    readers.push(...slow);
    await eventually(
      () => [...live].every((response) => response.writableNeedDrain),
      () =>
        `every stream to fill its socket and wait for its reader (${[...live].filter((r) => r.writableNeedDrain).length} of ${live.size})`,
    );
    await request(test.url).get('/health').expect(200);

    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // Holding what each reader has not taken would be about (6.5 - 4) MB × 50 readers.
    expect(grown).toBeLessThan(40 * MB);
    for (const response of live) expect(response.writableLength).toBeLessThan(MB);
    // Slow is not stalled: no stream was ended while its reader was within LIVE_STREAM_STALL_MS.
    expect(live.size).toBe(SLOW_READERS);

    // A stalled reader that reads again gets every event, in order, none twice.
    const ids = await slow[0]!.readUntil(head);
    expect(ids).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });
});

describe('a live stream whose reader stays stalled', () => {
  let test: TestApp;
  let head: number;
  let live: Set<ServerResponse>;

  beforeAll(async () => {
    test = await startTestApp({ ...QUIET, LIVE_STREAMS_PER_CLIENT: '1', LIVE_STREAM_STALL_MS: '300' });
    head = await fill(test, LOG_EVENTS);
    live = watchLiveResponses(test);
  });
  afterAll(() => test.close());

  it('is ended, frees its slot, and resumes from Last-Event-ID without a gap', async () => {
    const stalled = await LiveReader.open(test.url, '/events/live?after=0');
    expect(live.size).toBe(1);
    // The reader does not see the end before it reads what is buffered for it: watch the server's side.
    await eventually(() => live.size === 0, 'the server to end the stalled stream');

    const received = await stalled.readUntil(head);
    const last = received.at(-1)!;
    expect(received).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(last).toBeLessThan(head);

    const resumed = await LiveReader.open(test.url, '/events/live', { 'Last-Event-ID': String(last) });
    try {
      const rest = await resumed.readUntil(head);
      expect(rest).toEqual(Array.from({ length: head - last }, (_, i) => last + 1 + i));
    } finally {
      resumed.close();
    }
  });
});
