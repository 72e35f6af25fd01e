import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { canonicalEvent, GENESIS_HASH } from '../event-hash';
import { WrongExpectedVersion } from '../event-sourcing.errors';
import { AppendResult, ExpectedVersion, IdempotencyKeyTaken, IdempotentAppend, NO_STREAM } from '../event-store';
import { ClusterCoordinator } from './cluster-coordinator';
import { checkExpectedVersion, newEventRows, StreamHead } from './event-rows';
import { REMEMBER_KEY_SQL, rememberKeyParameters } from './idempotency-keys';
import { INSERT_EVENT_COLUMNS, STREAM_HEAD_SQL } from './sqlite-appender';
import { sql } from './sql';
import { Transactions } from './transactions';

const NEW_STREAM: StreamHead = { version: 0, hash: GENESIS_HASH };

/** Rows of a statement sent as a named prepared statement: parsed and planned once per connection. */
async function prepared<T>(client: PoolClient, name: string, text: string, values: unknown[]): Promise<T[]> {
  return (await client.query({ name: `ledgerline:${name}`, text, values })).rows as T[];
}

const INSERT_AFTER_SQL = `INSERT INTO events ${INSERT_EVENT_COLUMNS}
  SELECT $1::uuid, $2, stream_version + 1, $3, $4::jsonb, $5::jsonb, $6::timestamptz,
    encode(sha256(convert_to(hash || $7, 'UTF8')), 'hex')
  FROM events WHERE stream_id = $2 AND stream_version = $8
  RETURNING position`;

/**
 * The PostgreSQL append. No lock: appends commit in any order, and readers keep to the settled order
 * (settled-reads.ts). One event after a known version is one statement; otherwise one round trip reads
 * the stream's head (none for a new stream) and one inserts. Without an Idempotency-Key there is no
 * transaction either: the insert is the only write and atomic as one statement, and the UNIQUE index
 * refuses it if the stream moved on since its head was read (rows never change, so the hash read with
 * the head stays the one to chain from). The insert is also where the transaction takes its id, after
 * the stream's previous version committed: a stream's events follow each other in the log's order too.
 */
export class PostgresAppender {
  constructor(
    private readonly transactions: Transactions,
    private readonly coordinator: ClusterCoordinator,
  ) {}

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    rows: { type: string; data: string }[],
    metadata: string,
    idempotency: IdempotentAppend | undefined,
  ): Promise<AppendResult> {
    const append = () =>
      this.transactions.onConnection(async (client) => {
        const appended = await this.insert(client, streamId, expectedVersion, rows, metadata);
        if (idempotency) await this.remember(client, idempotency, appended);
        return appended;
      });
    // The Idempotency-Key is a second write that must commit with the events.
    const appended = await (idempotency ? this.transactions.write(append) : append());
    if (appended.positions.length > 0) this.coordinator.announceAppend();
    return appended;
  }

  /** Inserts the events after the stream's head, their hashes chained from its hash. */
  private async insert(
    client: PoolClient,
    streamId: string,
    expectedVersion: ExpectedVersion,
    rows: { type: string; data: string }[],
    metadata: string,
  ): Promise<AppendResult> {
    const [row] = rows;
    if (typeof expectedVersion === 'number' && expectedVersion > 0 && rows.length === 1 && row !== undefined) {
      const position = await this.insertAfter(client, streamId, expectedVersion, row, metadata);
      return { streamId, version: expectedVersion + 1, positions: [position] };
    }
    // A stream that already exists makes the insert of version 1 fail on the UNIQUE index.
    const creates = expectedVersion === NO_STREAM && rows.length > 0;
    const head = creates ? NEW_STREAM : await this.head(client, streamId);
    checkExpectedVersion(streamId, expectedVersion, head.version);
    const positions = rows.length === 0 ? [] : await this.insertRows(client, streamId, head, rows, metadata);
    return { streamId, version: head.version + rows.length, positions };
  }

  /**
   * One event after a known version, in one round trip: the statement reads that version's hash and
   * chains from it (SHA-256 of the hash and the canonical JSON, as eventHash computes it). It inserts
   * nothing when the stream has not reached that version, and fails on the UNIQUE index when the stream
   * has gone past it.
   */
  private async insertAfter(
    client: PoolClient,
    streamId: string,
    version: number,
    row: { type: string; data: string },
    metadata: string,
  ): Promise<number> {
    const recordedAt = new Date();
    const { type, data } = row;
    const parsed = { data: JSON.parse(data) as unknown, metadata: JSON.parse(metadata) as unknown };
    const canonical = canonicalEvent({ streamId, streamVersion: version + 1, type, ...parsed, recordedAt });
    const [inserted] = await prepared<{ position: number | string }>(client, 'insert-after', INSERT_AFTER_SQL, [
      randomUUID(),
      streamId,
      type,
      data,
      metadata,
      recordedAt,
      canonical,
      version,
    ]);
    if (inserted === undefined) {
      throw new WrongExpectedVersion(streamId, version, (await this.head(client, streamId)).version);
    }
    return Number(inserted.position);
  }

  /** The stream's version and the hash its next event chains from, in one indexed lookup. */
  private async head(client: PoolClient, streamId: string): Promise<StreamHead> {
    const [row] = await prepared<{ stream_version: number | string; hash: string | null }>(
      client,
      'head',
      sql('postgres', STREAM_HEAD_SQL),
      [streamId],
    );
    // A head without a hash is already a break the verifier reports; chaining on from genesis adds none.
    return { version: Number(row?.stream_version ?? 0), hash: row?.hash ?? GENESIS_HASH };
  }

  private async insertRows(
    client: PoolClient,
    streamId: string,
    head: StreamHead,
    rows: { type: string; data: string }[],
    metadata: string,
  ): Promise<number[]> {
    const values = newEventRows('postgres', streamId, head, rows, metadata);
    const inserted = await prepared<{ position: number | string; stream_version: number | string }>(
      client,
      `insert-${values.length}`,
      sql(
        'postgres',
        `INSERT INTO events ${INSERT_EVENT_COLUMNS}
         VALUES ${values.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING position, stream_version`,
      ),
      values.flat(),
    );
    return inserted
      .map((row) => ({ position: Number(row.position), version: Number(row.stream_version) }))
      .sort((a, b) => a.version - b.version)
      .map((row) => row.position);
  }

  private async remember(client: PoolClient, idempotency: IdempotentAppend, appended: AppendResult) {
    const parameters = rememberKeyParameters('postgres', idempotency, appended, new Date());
    const stored = await prepared(client, 'remember-key', sql('postgres', REMEMBER_KEY_SQL), parameters);
    if (stored.length === 0) throw new IdempotencyKeyTaken(idempotency.scope, idempotency.key);
  }
}
