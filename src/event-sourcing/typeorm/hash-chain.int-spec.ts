import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { eventHash, GENESIS_HASH } from '../event-hash';
import { ANY_VERSION, NO_STREAM } from '../event-store';
import { EventTypeRegistry } from '../event-type-registry';
import { CounterIncremented, CounterStarted } from '../testing/counter.fixture';
import { createTestDatabase, testEngine } from '../testing/test-database';
import { ClusterCoordinator } from './cluster-coordinator';
import { fromDbTime, sql } from './sql';
import { StoredEventRow, storedEventHash } from './stored-event-hash';
import { Transactions } from './transactions';
import { TypeOrmEventStore } from './typeorm-event-store';

type Row = StoredEventRow & { hash: string | null };

describe(`the hash chain the append writes (${testEngine()})`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let coordinator: ClusterCoordinator;
  let store: TypeOrmEventStore;

  const rowsOf = (streamId: string) =>
    database.dataSource.query<Row[]>(
      sql(testEngine(), 'SELECT * FROM events WHERE stream_id = ? ORDER BY stream_version'),
      [streamId],
    );

  beforeEach(async () => {
    database = await createTestDatabase();
    const transactions = new Transactions(database.dataSource);
    coordinator = new ClusterCoordinator(transactions);
    store = new TypeOrmEventStore(transactions, new EventTypeRegistry(), coordinator);
  });
  afterEach(async () => {
    await coordinator.onApplicationShutdown();
    await database.drop();
  });

  it('hashes version 1 from genesis over exactly what the caller appended', async () => {
    const metadata = { correlationId: 'c-1', actor: 'zoë', nested: { z: [2, 1], a: 'Grüße 👋' } };
    await store.append('counter-1', NO_STREAM, [new CounterStarted(10)], { metadata });
    const [row] = await rowsOf('counter-1');
    expect(row!.hash).toBe(
      eventHash(GENESIS_HASH, {
        streamId: 'counter-1',
        streamVersion: 1,
        type: 'counter-test.started.v1',
        data: { limit: 10 },
        metadata,
        recordedAt: fromDbTime(row!.recorded_at),
      }),
    );
  });

  it('chains each event from its predecessor, within a batch, across appends and per stream', async () => {
    await store.append('counter-1', NO_STREAM, [new CounterStarted(10)]);
    await store.append('counter-2', NO_STREAM, [new CounterStarted(5), new CounterIncremented(1)]);
    await store.append('counter-1', 1, [new CounterIncremented(2), new CounterIncremented(3)]);
    await store.append('counter-1', ANY_VERSION, [new CounterIncremented(4)]);
    await store.append('counter-1', ANY_VERSION, []);
    // One event at a known version: on PostgreSQL the insert itself hashes, over non-ASCII text too.
    await store.append('counter-2', 2, [new CounterIncremented(7)], { metadata: { actor: 'zoë 世界 👋' } });
    for (const [streamId, count] of [
      ['counter-1', 4],
      ['counter-2', 3],
    ] as const) {
      const rows = await rowsOf(streamId);
      expect(rows).toHaveLength(count);
      let previous = GENESIS_HASH;
      for (const row of rows) {
        expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(row.hash).toBe(storedEventHash(previous, row));
        previous = row.hash!;
      }
    }
  });
});
