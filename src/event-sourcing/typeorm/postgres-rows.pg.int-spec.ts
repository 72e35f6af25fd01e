import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../database/column-transformers';
import { ANY_VERSION, EventStore, RecordedEvent } from '../event-store';
import { ProjectionOf } from '../subscriptions/projection';
import { RowProjection } from '../subscriptions/row-projection';
import { SubscriptionRunner } from '../subscriptions/subscription-runner';
import { CounterIncremented } from '../testing/counter.fixture';
import { createEventSourcingTestModule } from '../testing/event-sourcing-test-module';
import { CheckpointClaim, claimedCheckpointSql, SubscriptionStore } from './subscription-store';
import { Transactions } from './transactions';

@Entity('counter_rows')
class CounterRow {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  total!: number;

  /** The positions applied, in order: shows which batches wrote the row. */
  @Column({ type: 'simple-json' })
  applied!: number[];

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt!: Date | null;
}

const NAME = 'counter-rows';

@Injectable()
@ProjectionOf({ name: NAME })
class CounterRows extends RowProjection<CounterRow> {
  protected readonly entity = CounterRow;
  protected readonly key = 'id';

  protected keyOf({ event, streamId }: RecordedEvent): string | undefined {
    return event instanceof CounterIncremented ? streamId : undefined;
  }

  protected evolve(row: CounterRow | undefined, { event, streamId, position, recordedAt }: RecordedEvent) {
    if (!(event instanceof CounterIncremented) || row?.applied.includes(position)) return undefined;
    return Object.assign(new CounterRow(), {
      id: streamId,
      total: (row?.total ?? 0) + event.by,
      applied: [...(row?.applied ?? []), position],
      updatedAt: recordedAt,
    });
  }
}

describe('PostgresRows: a projection batch as two statements, its checkpoint claimed in the second', () => {
  let close: () => Promise<void>;
  let store: EventStore;
  let transactions: Transactions;
  let projection: CounterRows;
  let checkpoints: SubscriptionStore;
  let dataSource: DataSource;

  beforeEach(async () => {
    // Paused: the spec drives the batches itself, as two instances would.
    const test = await createEventSourcingTestModule(
      { imports: [TypeOrmModule.forFeature([CounterRow])], providers: [CounterRows] },
      { pausedSubscriptions: [NAME] },
    );
    close = test.close;
    store = test.module.get(EventStore);
    transactions = test.module.get(Transactions);
    projection = test.module.get(CounterRows);
    checkpoints = test.module.get(SubscriptionStore);
    dataSource = test.module.get(DataSource);
    await dataSource.query(
      `CREATE TABLE counter_rows (id varchar PRIMARY KEY, total bigint NOT NULL, applied text NOT NULL,
       updated_at timestamptz)`,
    );
  });
  afterEach(() => close());

  const increments = async (...values: number[]) => {
    await store.append(
      'counter-a',
      ANY_VERSION,
      values.map((by) => new CounterIncremented(by)),
    );
    await store.append('counter-b', ANY_VERSION, [new CounterIncremented(100)]);
    return store.readAll(0, 100);
  };
  const apply = (events: readonly RecordedEvent[], claim: CheckpointClaim) =>
    transactions.onConnection((client) => projection.applyBatchPostgres(events, { client, dataSource, claim }));
  const rows = () => dataSource.getRepository(CounterRow).find({ order: { id: 'ASC' } });
  const claimOf = (events: readonly RecordedEvent[], expected = 0) => ({
    name: NAME,
    expected,
    position: events.at(-1)!.position,
  });

  it('writes the rows TypeORM writes, converted alike, with the checkpoint', async () => {
    const events = await increments(1, 2, 3);
    expect(await apply(events.slice(0, 2), claimOf(events.slice(0, 2)))).toBe(true);
    expect(await apply(events.slice(2), claimOf(events.slice(2), events[1]!.position))).toBe(true);
    expect(await checkpoints.checkpoint(NAME)).toBe(events.at(-1)!.position);
    const fast = await rows();
    expect(fast).toHaveLength(2);
    expect(fast[0]).toMatchObject({ id: 'counter-a', total: 6, applied: events.slice(0, 3).map((e) => e.position) });
    expect(fast[0]!.updatedAt).toEqual(events[2]!.recordedAt);

    await transactions.write(async (manager) => {
      await projection.clear(manager);
      await projection.applyBatch(events, manager);
    });
    expect(await rows()).toEqual(fast);
  });

  it('writes nothing for a batch whose claim finds the checkpoint moved by another instance', async () => {
    const events = await increments(1, 2);
    await apply(events, claimOf(events));
    const before = await rows();
    // The other instance still believes the checkpoint is where it left it (0), one event in.
    await expect(apply(events.slice(0, 1), claimOf(events.slice(0, 1)))).rejects.toMatchObject({
      name: 'CheckpointMoved',
    });
    expect(await checkpoints.checkpoint(NAME)).toBe(events.at(-1)!.position);
    expect(await rows()).toEqual(before);
    // The same for a checkpoint-only move, and for one from a position never stored.
    for (const expected of [0, 1]) {
      await expect(checkpoints.moveCheckpoint({ name: NAME, expected, position: 1 })).rejects.toMatchObject({
        name: 'CheckpointMoved',
      });
    }
    expect(await checkpoints.checkpoint(NAME)).toBe(events.at(-1)!.position);
  });

  it('makes a racing instance wait for the one holding the checkpoint, then refuses its stale batch', async () => {
    const events = await increments(5, 7);
    await apply(events.slice(0, 1), claimOf(events.slice(0, 1)));
    const stored = events[0]!.position;
    // Instance A has claimed the next move in a transaction that has not committed yet.
    const other = new Client({ connectionString: (dataSource.options as { url: string }).url });
    await other.connect();
    try {
      const schema = (dataSource.options as { schema?: string }).schema;
      if (schema) await other.query(`SET search_path TO "${schema}"`);
      const [{ pid }] = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
        { pid: number },
      ];
      await other.query('BEGIN');
      const claimed = await other.query(claimedCheckpointSql(stored), [NAME, events.at(-1)!.position, stored]);
      expect(claimed.rowCount).toBe(1);
      await other.query(`UPDATE counter_rows SET total = 999 WHERE id = 'counter-a'`);

      // Instance B reads the rows A has not committed yet and tries to store the same move.
      const racing = apply(events.slice(1), claimOf(events.slice(1), stored));
      const outcome = racing.then(
        () => 'written',
        (error: Error) => error.name,
      );
      while ((await blockedBy(pid)) === 0) await sleep(10);
      await other.query('COMMIT');
      expect(await outcome).toBe('CheckpointMoved');
    } finally {
      await other.end();
    }
    expect(await checkpoints.checkpoint(NAME)).toBe(events.at(-1)!.position);
    expect((await rows())[0]).toMatchObject({ id: 'counter-a', total: 999 });
  });

  /** How many sessions wait for a lock the session `pid` holds. */
  async function blockedBy(pid: number): Promise<number> {
    const [row] = await dataSource.query<{ waiting: string }[]>(
      'SELECT count(*) AS waiting FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
      [pid],
    );
    return Number(row?.waiting ?? 0);
  }
});

describe('SubscriptionRunner on PostgresRows', () => {
  let close: () => Promise<void>;

  afterEach(() => close());

  it('keeps a row projection up to date over several batches, storing its checkpoint with them', async () => {
    const test = await createEventSourcingTestModule(
      { imports: [TypeOrmModule.forFeature([CounterRow])], providers: [CounterRows] },
      { pausedSubscriptions: [NAME], batchSize: 2 },
    );
    close = test.close;
    const dataSource = test.module.get(DataSource);
    await dataSource.query(
      `CREATE TABLE counter_rows (id varchar PRIMARY KEY, total bigint NOT NULL, applied text NOT NULL,
       updated_at timestamptz)`,
    );
    const store = test.module.get(EventStore);
    const runner = test.module.get(SubscriptionRunner);
    await store.append(
      'counter-a',
      ANY_VERSION,
      [1, 2, 3, 4, 5].map((by) => new CounterIncremented(by)),
    );
    const { positions } = await store.append('counter-b', ANY_VERSION, [new CounterIncremented(10)]);
    runner.resume(NAME);
    await runner.waitFor(NAME, positions[0]!);
    const found = await dataSource.getRepository(CounterRow).find({ order: { id: 'ASC' } });
    expect(found.map((row) => [row.id, row.total])).toEqual([
      ['counter-a', 15],
      ['counter-b', 10],
    ]);
    expect(await test.module.get(SubscriptionStore).checkpoint(NAME)).toBe(positions[0]);
  });
});
