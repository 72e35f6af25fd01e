import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { ANY_VERSION, EventStore, RecordedEvent } from '../event-store';
import { Projection, ProjectionOf } from '../subscriptions/projection';
import { SubscriptionRunner } from '../subscriptions/subscription-runner';
import { CounterIncremented } from '../testing/counter.fixture';
import { createEventSourcingTestModule } from '../testing/event-sourcing-test-module';
import { Transactions } from './transactions';

/** Remembers every position it is given, in order. */
@Injectable()
@ProjectionOf({ name: 'position-log' })
class PositionLog implements Projection {
  static seen: number[] = [];
  apply({ position }: RecordedEvent): Promise<void> {
    PositionLog.seen.push(position);
    return Promise.resolve();
  }
  clear(): Promise<void> {
    return Promise.resolve();
  }
}

/** Something one side of a test waits for and the other makes happen. */
function event(): { fire: () => void; fired: Promise<void> } {
  let fire: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}

/** An open transaction's two moments: it has taken its id, and it may end. */
function signal() {
  return { opened: event(), release: event() };
}

describe('commit order on PostgreSQL', () => {
  let close: () => Promise<void>;
  let store: EventStore;
  let transactions: Transactions;
  let runner: SubscriptionRunner;

  beforeEach(async () => {
    PositionLog.seen = [];
    const test = await createEventSourcingTestModule({ providers: [PositionLog] }, { pollIntervalMs: 20 });
    close = test.close;
    store = test.module.get(EventStore);
    transactions = test.module.get(Transactions);
    runner = test.module.get(SubscriptionRunner);
  });
  afterEach(() => close());

  it('never lets a subscription pass a position whose transaction is still open', async () => {
    await store.append('warm-up', ANY_VERSION, [new CounterIncremented(0)]);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let heldPosition = 0;
    // An append that has taken its position and not committed yet, as when its process stalls.
    const slow = transactions.write(async () => {
      heldPosition = (await store.append('slow', ANY_VERSION, [new CounterIncremented(1)])).positions[0]!;
      await held;
    });
    while (heldPosition === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    // Others append meanwhile, on other streams, from other pooled connections.
    const others = Array.from({ length: 6 }, (_, i) =>
      store.append(`fast-${i}`, ANY_VERSION, [new CounterIncremented(i)]),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(PositionLog.seen.every((position) => position < heldPosition)).toBe(true);
    expect(await store.readAll(heldPosition - 1, 100)).toEqual([]);

    release();
    await slow;
    const results = await Promise.all(others);
    const all = [heldPosition, ...results.map((result) => result.positions[0]!)];
    expect(Math.min(...all)).toBe(heldPosition);
    // The log's order is not position order: wait for its last event, whatever its position.
    const expected = (await store.readAll(0, 1000)).map((event) => event.position);
    expect(expected).toEqual(expect.arrayContaining(all));
    await runner.waitFor('position-log', expected.at(-1)!);
    expect(PositionLog.seen).toEqual(expected);
    expect(new Set(PositionLog.seen).size).toBe(PositionLog.seen.length);
    expect(PositionLog.seen.at(-1)).toBe(await store.headPosition());
  });

  it('never skips a transaction that took its id before another and its position after it', async () => {
    // Reading in position order up to the oldest open transaction would pass `later` while `earlier` is
    // open, then never see `earlier`, whose position is lower.
    const idTaken = event();
    const positionTaken = event();
    const laterCommitted = event();
    let earlier = 0;
    let later = 0;
    const first = transactions.write(async (manager) => {
      await manager.query('SELECT pg_current_xact_id()');
      idTaken.fire();
      await positionTaken.fired;
      later = (await store.append('takes-its-id-first', ANY_VERSION, [new CounterIncremented(1)])).positions[0]!;
    });
    await idTaken.fired;
    const second = transactions.write(async () => {
      earlier = (await store.append('takes-its-position-first', ANY_VERSION, [new CounterIncremented(2)]))
        .positions[0]!;
      positionTaken.fire();
      await laterCommitted.fired;
    });
    await first;
    expect(later).toBeGreaterThan(earlier);
    await runner.waitFor('position-log', later);
    expect(PositionLog.seen).toEqual([later]);

    laterCommitted.fire();
    await second;
    await runner.waitFor('position-log', earlier);
    expect(PositionLog.seen).toEqual([later, earlier]);
    expect((await store.readAll(0, 10)).map((event) => event.position)).toEqual([later, earlier]);
  });

  it('answers a read once what was committed when it started has settled, not what committed after', async () => {
    const first = signal();
    const second = signal();
    // An open transaction that took its id before `settling` keeps it from being read for now.
    const holdFirst = transactions.write(async (manager) => {
      await manager.query('SELECT pg_current_xact_id()');
      first.opened.fire();
      await first.release.fired;
    });
    await first.opened.fired;
    const settling = (await store.append('settling', ANY_VERSION, [new CounterIncremented(1)])).positions[0]!;
    const read = store.readAll(0, 100);

    // Meanwhile another append commits behind another open transaction, and only then the first one ends.
    const holdSecond = transactions.write(async (manager) => {
      await manager.query('SELECT pg_current_xact_id()');
      second.opened.fire();
      await second.release.fired;
    });
    await second.opened.fired;
    await store.append('behind', ANY_VERSION, [new CounterIncremented(2)]);
    first.release.fire();
    await holdFirst;

    const started = performance.now();
    expect((await read).map((event) => event.position)).toEqual([settling]);
    expect(performance.now() - started).toBeLessThan(1000);
    second.release.fire();
    await holdSecond;
  });

  it('delivers every event exactly once in order under many concurrent appenders', async () => {
    const appenders = Array.from({ length: 8 }, async (_, writer) => {
      for (let n = 0; n < 25; n += 1) await store.append(`writer-${writer}`, ANY_VERSION, [new CounterIncremented(n)]);
    });
    await Promise.all(appenders);
    const head = await store.headPosition();
    await runner.waitFor('position-log', head);
    const positions = (await store.readAll(0, 1000)).map((event) => event.position);
    expect(positions).toHaveLength(200);
    expect(PositionLog.seen).toEqual(positions);
  });
});
