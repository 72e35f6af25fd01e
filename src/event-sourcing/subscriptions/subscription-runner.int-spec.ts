import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReadModelBehind } from '../event-sourcing.errors';
import { ANY_VERSION, EventStore, RecordedEvent } from '../event-store';
import type { EventSourcingOptions } from '../event-sourcing.options';
import { CounterIncremented, CounterStarted } from '../testing/counter.fixture';
import { createEventSourcingTestModule } from '../testing/event-sourcing-test-module';
import { IsolatedDatabase, isolatedDatabase } from '../testing/test-database';
import { sql } from '../typeorm/sql';
import { SubscriptionStore } from '../typeorm/subscription-store';
import { Transactions } from '../typeorm/transactions';
import { Projection, ProjectionOf } from './projection';
import { SubscriptionRunner } from './subscription-runner';

/** Sums increments into its own table, and can be told to fail on one value. */
@Injectable()
@ProjectionOf({ name: 'increment-totals' })
class IncrementTotals implements Projection {
  static failOn: number | undefined;
  static engine: 'sqlite' | 'postgres' = 'sqlite';
  static applied = 0;

  handles({ event }: RecordedEvent): boolean {
    return event instanceof CounterIncremented;
  }

  async apply({ event, position }: RecordedEvent, manager: EntityManager): Promise<void> {
    if (!(event instanceof CounterIncremented)) return;
    if (event.by === IncrementTotals.failOn) throw new Error(`refusing ${event.by} at ${position}`);
    IncrementTotals.applied += 1;
    await manager.query(
      sql(
        IncrementTotals.engine,
        `INSERT INTO increment_totals (id, total) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET total = increment_totals.total + excluded.total`,
      ),
      [event.by],
    );
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM increment_totals');
  }
}

/** Counts every event it sees: a second subscription that must not be held up by the first. */
@Injectable()
@ProjectionOf({ name: 'event-count' })
class EventCount implements Projection {
  static seen = 0;
  apply(): Promise<void> {
    EventCount.seen += 1;
    return Promise.resolve();
  }
  clear(): Promise<void> {
    return Promise.resolve();
  }
}

describe('SubscriptionRunner', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    IncrementTotals.failOn = undefined;
    IncrementTotals.applied = 0;
    EventCount.seen = 0;
  });

  async function start(database?: IsolatedDatabase, options: Partial<EventSourcingOptions> = {}) {
    const test = await createEventSourcingTestModule(
      { providers: [IncrementTotals, EventCount] },
      { pollIntervalMs: 50, batchSize: 3, ...options },
      database,
    );
    cleanups.push(test.close);
    IncrementTotals.engine = test.module.get(Transactions).engine;
    await test.module
      .get(EntityManager)
      .query('CREATE TABLE IF NOT EXISTS increment_totals (id INTEGER PRIMARY KEY, total INTEGER)');
    const store = test.module.get(EventStore);
    const runner = test.module.get(SubscriptionRunner);
    const total = async () => {
      const rows = await test.module
        .get(EntityManager)
        .query<{ total: number | string }[]>('SELECT total FROM increment_totals WHERE id = 1');
      return Number(rows[0]?.total ?? 0);
    };
    const increment = async (...values: number[]) =>
      (
        await store.append(
          'counter-x',
          ANY_VERSION,
          values.map((by) => new CounterIncremented(by)),
        )
      ).positions.at(-1)!;
    const stored = () => test.module.get(SubscriptionStore).checkpoint('increment-totals');
    const ignored = async () =>
      (await store.append('counter-y', ANY_VERSION, [new CounterStarted(1)])).positions.at(-1)!;
    return { test, store, runner, total, increment, stored, ignored };
  }

  it('applies every event once and persists its checkpoint with the rows', async () => {
    const { runner, total, increment } = await start();
    const position = await increment(1, 2, 3, 4, 5, 6, 7);
    await runner.waitFor('increment-totals', position);
    expect(await total()).toBe(28);
    expect(IncrementTotals.applied).toBe(7);
    expect(await runner.checkpointOf('increment-totals')).toBe(position);
  });

  it('moves past events it ignores without a write per batch, storing the move with its next rows', async () => {
    const { runner, total, increment, stored, ignored } = await start(undefined, { checkpointFlushMs: 60_000 });
    const first = await increment(1);
    await runner.waitFor('increment-totals', first);
    expect(await stored()).toBe(first);
    let skipped = 0;
    for (let i = 0; i < 5; i += 1) {
      skipped = await ignored();
      await runner.waitFor('increment-totals', skipped);
    }
    expect(await runner.checkpointOf('increment-totals')).toBe(skipped);
    expect(await stored()).toBe(first);
    const next = await increment(2);
    await runner.waitFor('increment-totals', next);
    expect(await stored()).toBe(next);
    expect(await total()).toBe(3);
  });

  it('stores a checkpoint moved past ignored events once checkpointFlushMs has passed', async () => {
    const { runner, stored, ignored } = await start(undefined, { checkpointFlushMs: 100 });
    const skipped = await ignored();
    await runner.waitFor('increment-totals', skipped);
    const deadline = Date.now() + 10_000;
    while ((await stored()) !== skipped && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 20));
    expect(await stored()).toBe(skipped);
  });

  it('replays the ignored events after a restart that came before their move was stored', async () => {
    const database = isolatedDatabase();
    cleanups.push(() => database.drop());
    const first = await start(database, { checkpointFlushMs: 60_000 });
    const five = await first.increment(5);
    await first.runner.waitFor('increment-totals', five);
    await first.runner.waitFor('increment-totals', await first.ignored());
    expect(await first.stored()).toBe(five);
    await cleanups.pop()!();

    const second = await start(database);
    const later = await second.increment(7);
    await second.runner.waitFor('increment-totals', later);
    expect(await second.total()).toBe(12);
    expect(await second.stored()).toBe(later);
  });

  it('resumes from its checkpoint after a restart, catching up on what it missed', async () => {
    const database = isolatedDatabase();
    cleanups.push(() => database.drop());
    const first = await start(database);
    const position = await first.increment(1, 2);
    await first.runner.waitFor('increment-totals', position);
    await cleanups.pop()!();
    IncrementTotals.applied = 0;

    // Events appended while no subscription ran, then a new process starts on the same file.
    const second = await start(database);
    const later = await second.increment(10, 20);
    await second.runner.waitFor('increment-totals', later);
    expect(await second.total()).toBe(33);
    expect(IncrementTotals.applied).toBe(2);
  });

  it('retries a failing event without skipping it, and without holding up other subscriptions', async () => {
    IncrementTotals.failOn = 13;
    const { runner, total, increment } = await start();
    await runner.waitFor('increment-totals', await increment(1));
    const position = await increment(13, 2);
    await runner.waitFor('event-count', position);
    expect(EventCount.seen).toBe(3);
    await expect(runner.waitFor('increment-totals', position)).rejects.toBeInstanceOf(ReadModelBehind);
    // The failing batch rolled back whole; its checkpoint did not move.
    expect(await total()).toBe(1);
    expect(await runner.checkpointOf('increment-totals')).toBe(position - 2);
    IncrementTotals.failOn = undefined;
    await runner.waitFor('increment-totals', position);
    expect(await total()).toBe(16);
  });

  it('refuses at once to wait for a position nobody wrote', async () => {
    const { runner, increment } = await start();
    const position = await increment(1);
    await expect(runner.waitFor('increment-totals', position + 1000)).rejects.toMatchObject({
      name: 'PositionNotWritten',
      position: position + 1000,
      headPosition: position,
    });
  });

  it('answers ReadModelBehind when the subscription does not reach a written position in time', async () => {
    const { runner, increment } = await start();
    runner.pause('increment-totals');
    const position = await increment(1);
    await expect(runner.waitFor('increment-totals', position)).rejects.toMatchObject({
      name: 'ReadModelBehind',
      position,
    });
    runner.resume('increment-totals');
    await runner.waitFor('increment-totals', position);
  });
});
