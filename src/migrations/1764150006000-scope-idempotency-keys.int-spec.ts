import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource, MigrationInterface } from 'typeorm';
import { readDatabaseConfig } from '../config/database.config';
import { dataSourceOptions } from '../database/data-source-options';
import { openDataSource } from '../database/prepare-database';
import { IsolatedDatabase, isolatedDatabase, testEngine } from '../event-sourcing/testing/test-database';
import { findIdempotencyRecord } from '../event-sourcing/typeorm/idempotency-keys';
import { sql } from '../event-sourcing/typeorm/sql';
import { Transactions } from '../event-sourcing/typeorm/transactions';
import { ScopeIdempotencyKeys1764150006000 } from './1764150006000-scope-idempotency-keys';
import { migrations } from './index';

const engine = testEngine();
const BEFORE = migrations.slice(0, migrations.indexOf(ScopeIdempotencyKeys1764150006000));
/** Up to this migration, so that undoing the last one undoes it whatever later migrations exist. */
const THROUGH = migrations.slice(0, migrations.indexOf(ScopeIdempotencyKeys1764150006000) + 1);
const open = (database: IsolatedDatabase, list: (new () => MigrationInterface)[]) =>
  openDataSource({ ...dataSourceOptions(readDatabaseConfig(database.env)), migrations: list });

/** A key as the service stored it before scopes, with the one event its command appended. */
async function insertLegacyKey(
  dataSource: DataSource,
  key: string,
  fingerprint: string,
  metadata: object,
): Promise<void> {
  const streamId = `legacy-${randomUUID()}`;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 3_600_000).toISOString();
  await dataSource.query(
    sql(
      engine,
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash)
       VALUES (?, ?, 1, 'legacy.thing-happened.v1', '{}', ?, ?, 'not chained')`,
    ),
    [randomUUID(), streamId, JSON.stringify(metadata), now.toISOString()],
  );
  await dataSource.query(
    sql(
      engine,
      `INSERT INTO idempotency_keys (key, fingerprint, stream_id, version, position, recorded_at, expires_at)
       VALUES (?, ?, ?, 1, 1, ?, ?)`,
    ),
    [key, fingerprint, streamId, now.toISOString(), expiresAt],
  );
}

describe(`the idempotency-scope migration (${engine})`, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('scopes keys stored before it to the caller that sent them, and saga keys to the checkout saga', async () => {
    const database = isolatedDatabase();
    cleanup.push(() => database.drop());
    const legacy = await open(database, BEFORE);
    const commandId = randomUUID();
    const claimedId = randomUUID();
    await insertLegacyKey(legacy, 'anonymous-key', 'fp-anonymous', { correlationId: 'c' });
    await insertLegacyKey(legacy, 'alice-key', 'fp-alice', { actor: 'alice' });
    await insertLegacyKey(legacy, `saga-command:${commandId}`, commandId, { actor: 'alice' });
    // A client that sent a saga-looking key got its own request's fingerprint (a hash), not the command id.
    await insertLegacyKey(legacy, `saga-command:${claimedId}`, 'fp-of-a-request', { actor: 'mallory' });
    await legacy.destroy();

    const migrated = await open(database, migrations);
    cleanup.push(() => migrated.destroy());
    const find = (scope: string, key: string) =>
      findIdempotencyRecord(new Transactions(migrated), scope, key, new Date());
    expect(await find('client:anonymous', 'anonymous-key')).toMatchObject({ fingerprint: 'fp-anonymous' });
    expect(await find('client:alice', 'alice-key')).toMatchObject({ fingerprint: 'fp-alice' });
    expect(await find('internal:checkout-saga', `saga-command:${commandId}`)).toMatchObject({ fingerprint: commandId });
    expect(await find('client:mallory', `saga-command:${claimedId}`)).toMatchObject({ fingerprint: 'fp-of-a-request' });
    expect(await find('internal:checkout-saga', `saga-command:${claimedId}`)).toBeUndefined();
    const [count] = await migrated.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM idempotency_keys');
    expect(Number(count?.n)).toBe(4);
  });

  it('can be reverted, keeping the newest record of a key several scopes share', async () => {
    const database = isolatedDatabase();
    cleanup.push(() => database.drop());
    const migrated = await open(database, THROUGH);
    cleanup.push(() => migrated.destroy());
    const insert = (scope: string, fingerprint: string, recordedAt: string) =>
      migrated.query(
        sql(
          engine,
          `INSERT INTO idempotency_keys
             (scope, key, fingerprint, stream_id, version, position, recorded_at, expires_at)
           VALUES (?, 'shared', ?, 's', 1, 1, ?, ?)`,
        ),
        [scope, fingerprint, recordedAt, '2999-01-01T00:00:00.000Z'],
      );
    await insert('client:alice', 'older', '2026-01-01T00:00:00.000Z');
    await insert('client:bob', 'newer', '2026-01-02T00:00:00.000Z');
    await migrated.undoLastMigration({ transaction: 'each' });
    expect(await migrated.query('SELECT key, fingerprint FROM idempotency_keys')).toEqual([
      { key: 'shared', fingerprint: 'newer' },
    ]);
  });
});
