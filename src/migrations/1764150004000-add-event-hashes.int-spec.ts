import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource, MigrationInterface } from 'typeorm';
import { readDatabaseConfig } from '../config/database.config';
import { dataSourceOptions } from '../database/data-source-options';
import { openDataSource } from '../database/prepare-database';
import { NO_STREAM } from '../event-sourcing/event-store';
import { EventTypeRegistry } from '../event-sourcing/event-type-registry';
import { CounterIncremented, CounterStarted } from '../event-sourcing/testing/counter.fixture';
import {
  createTestDatabase,
  IsolatedDatabase,
  isolatedDatabase,
  testEngine,
} from '../event-sourcing/testing/test-database';
import { ClusterCoordinator } from '../event-sourcing/typeorm/cluster-coordinator';
import { sql } from '../event-sourcing/typeorm/sql';
import { Transactions } from '../event-sourcing/typeorm/transactions';
import { TypeOrmEventStore } from '../event-sourcing/typeorm/typeorm-event-store';
import { IntegrityVerifier } from '../integrity/integrity-verifier';
import { AddEventHashes1764150004000 } from './1764150004000-add-event-hashes';
import { migrations } from './index';

const engine = testEngine();
const BEFORE = migrations.slice(0, migrations.indexOf(AddEventHashes1764150004000));
const COLUMNS = 'event_id, stream_id, stream_version, type, data, metadata, recorded_at';
type Row = { event_id: string; stream_id: string; stream_version: number; type: string } & Record<string, unknown>;

const open = (database: IsolatedDatabase, list: (new () => MigrationInterface)[]) =>
  openDataSource({ ...dataSourceOptions(readDatabaseConfig(database.env)), migrations: list });
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Events as the service appended them before hashes: written straight into the old schema. */
async function insertLegacy(dataSource: DataSource, rows: Row[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 100) {
    const batch = rows.slice(start, start + 100);
    await dataSource.query(
      sql(engine, `INSERT INTO events (${COLUMNS}) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`),
      batch.flatMap((row) => [
        row.event_id,
        row.stream_id,
        row.stream_version,
        row.type,
        text(row.data),
        text(row.metadata),
        row.recorded_at,
      ]),
    );
  }
}

/** Three long streams, so the backfill's batches end in the middle of a stream. */
function bulkRows(): Row[] {
  return ['bulk-a', 'bulk-b', 'bulk-c'].flatMap((streamId, stream) =>
    Array.from({ length: 400 }, (_, index) => ({
      event_id: randomUUID(),
      stream_id: streamId,
      stream_version: index + 1,
      type: 'counter-test.incremented.v1',
      data: `{"by":${index},"note":"é ${stream}","list":[{"z":1,"a":2}]}`,
      metadata: `{"correlationId":"c-${index}","actor":"bulk"}`,
      recorded_at: new Date(Date.UTC(2026, 0, 1, 0, 0, stream, index)).toISOString(),
    })),
  );
}

describe(`the event-hash migration (${engine})`, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** A fully migrated database with events appended live, as the service now writes them. */
  async function liveRows(): Promise<Row[]> {
    const live = await createTestDatabase();
    const transactions = new Transactions(live.dataSource);
    const coordinator = new ClusterCoordinator(transactions);
    cleanup.push(async () => {
      await coordinator.onApplicationShutdown();
      await live.drop();
    });
    const store = new TypeOrmEventStore(transactions, new EventTypeRegistry(), coordinator);
    const metadata = { correlationId: 'c-1', actor: 'zoë', nested: { z: [2, 1], a: 'Grüße 👋' } };
    await store.append('counter-1', NO_STREAM, [new CounterStarted(10), new CounterIncremented(1)], { metadata });
    await store.append('counter-2', NO_STREAM, [new CounterStarted(5)]);
    await store.append('counter-1', 2, [new CounterIncremented(2), new CounterIncremented(3)]);
    return live.dataSource.query<Row[]>(`SELECT ${COLUMNS}, hash FROM events ORDER BY position`);
  }

  it('hashes existing events exactly as live appends do, batch by batch, and keeps the log append-only', async () => {
    const appended = await liveRows();
    const database = isolatedDatabase();
    cleanup.push(() => database.drop());
    const legacy = await open(database, BEFORE);
    await insertLegacy(legacy, [...appended, ...bulkRows()]);
    await legacy.destroy();

    const migrated = await open(database, migrations);
    cleanup.push(() => migrated.destroy());
    const backfilled = await migrated.query<{ event_id: string; hash: string }[]>(
      'SELECT event_id, hash FROM events ORDER BY position',
    );
    expect(backfilled.slice(0, appended.length)).toEqual(appended.map(({ event_id, hash }) => ({ event_id, hash })));
    expect(await new IntegrityVerifier(new Transactions(migrated)).verify()).toEqual({
      ok: true,
      streamsChecked: 5,
      eventsChecked: appended.length + 1200,
      firstBroken: null,
    });

    const appendOnly = /append-only/;
    await expect(migrated.query("UPDATE events SET type = 'x'")).rejects.toThrow(appendOnly);
    await expect(migrated.query('DELETE FROM events')).rejects.toThrow(appendOnly);
    if (engine === 'postgres') {
      await expect(insertLegacy(migrated, bulkRows().slice(0, 1))).rejects.toThrow(/null value in column "hash"/);
    }
  });

  // Only SQLite's untyped columns can hold an event that does not read back; PostgreSQL refuses it on insert.
  if (engine === 'sqlite') {
    it('marks an event that was unreadable already instead of refusing to start, so the check finds it', async () => {
      const database = isolatedDatabase();
      cleanup.push(() => database.drop());
      const legacy = await open(database, BEFORE);
      const rows = bulkRows().slice(0, 3);
      rows[1]!.recorded_at = 'yesterday';
      await insertLegacy(legacy, rows);
      await legacy.destroy();

      const migrated = await open(database, migrations);
      cleanup.push(() => migrated.destroy());
      expect(await new IntegrityVerifier(new Transactions(migrated)).verify()).toMatchObject({
        ok: false,
        firstBroken: { streamId: 'bulk-a', version: 2, reason: expect.stringMatching(/cannot be read/) },
      });
    });
  }

  it('can be reverted', async () => {
    const database = isolatedDatabase();
    cleanup.push(() => database.drop());
    const migrated = await open(database, [...BEFORE, AddEventHashes1764150004000]);
    cleanup.push(() => migrated.destroy());
    await migrated.undoLastMigration({ transaction: 'each' });
    await insertLegacy(migrated, bulkRows().slice(0, 1));
    await expect(migrated.query('DELETE FROM events')).rejects.toThrow(/append-only/);
  });
});
