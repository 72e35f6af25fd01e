import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GENESIS_HASH } from '../event-hash';
import { WrongExpectedVersion } from '../event-sourcing.errors';
import {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedVersion,
  IdempotencyKeyTaken,
  IdempotencyRecord,
  IdempotentAppend,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { EventData, EventTypeRegistry } from '../event-type-registry';
import { fromDbTime, isUniqueViolation, parseJson, sql } from './sql';
import { ClusterCoordinator } from './cluster-coordinator';
import { checkExpectedVersion, newEventRows, StreamHead } from './event-rows';
import {
  deleteExpiredIdempotencyRecords,
  findIdempotencyRecord,
  IDEMPOTENCY_KEY_UNIQUE,
  REMEMBER_KEY_SQL,
  rememberKeyParameters,
} from './idempotency-keys';
import { INSERT_EVENT_COLUMNS, SqliteAppender, STREAM_HEAD_SQL } from './sqlite-appender';
import type { StoredEventRow } from './stored-event-hash';
import { Transactions } from './transactions';

type EventRow = StoredEventRow & { position: number | string; event_id: string };

const STREAM_VERSION_UNIQUE = { name: 'uq_events_stream_version', columns: 'events.stream_id, events.stream_version' };
const APPEND_LOCK_TIMEOUT_MS = 5000;
const EVENT_COLUMNS = 'position, event_id, stream_id, stream_version, type, data, metadata, recorded_at';

/** The event store on the `events` table, for SQLite and PostgreSQL alike. */
@Injectable()
export class TypeOrmEventStore extends EventStore {
  private readonly listeners = new Set<(result: AppendResult) => void>();

  private readonly sqlite: SqliteAppender;

  constructor(
    private readonly transactions: Transactions,
    private readonly registry: EventTypeRegistry,
    private readonly coordinator: ClusterCoordinator,
  ) {
    super();
    this.sqlite = new SqliteAppender(transactions);
  }

  private sql(text: string): string {
    return sql(this.transactions.engine, text);
  }

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly object[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const { rows, metadata } = this.registry.toStoredJson(streamId, events, options.metadata ?? {});
    let result: AppendResult;
    try {
      result =
        this.transactions.engine === 'sqlite'
          ? await this.sqlite.append(streamId, expectedVersion, rows, metadata, options.idempotency)
          : await this.transactions.write(async (manager) => {
              const head = await this.streamHead(manager, streamId);
              checkExpectedVersion(streamId, expectedVersion, head.version);
              if (rows.length > 0) await this.serialisePositions(manager);
              const positions =
                rows.length === 0 ? [] : await this.insertEvents(manager, streamId, head, rows, metadata);
              const appended = { streamId, version: head.version + rows.length, positions };
              if (options.idempotency) await this.rememberIdempotencyKey(manager, options.idempotency, appended);
              return appended;
            });
    } catch (error) {
      // Another process appended between our version check and our insert: the UNIQUE index caught it.
      if (isUniqueViolation(error, STREAM_VERSION_UNIQUE)) {
        throw new WrongExpectedVersion(streamId, expectedVersion, await this.streamVersion(streamId));
      }
      if (isUniqueViolation(error, IDEMPOTENCY_KEY_UNIQUE) && options.idempotency) {
        throw new IdempotencyKeyTaken(options.idempotency.scope, options.idempotency.key);
      }
      throw error;
    }
    if (result.positions.length > 0) for (const listener of this.listeners) listener(result);
    return result;
  }

  /**
   * PostgreSQL hands out positions from a sequence, and transactions may commit out of position order: a
   * reader could then pass position 11 while 10 is still uncommitted, and never see 10. Appenders queue
   * here from taking their positions until they commit, so commits happen in position order and any
   * committed position means every lower one is settled. The version check before this stays concurrent.
   * The NOTIFY is delivered at commit, to wake other instances' subscriptions.
   */
  private async serialisePositions(manager: EntityManager): Promise<void> {
    // A stalled appender must not block every other one forever: give up after the busy timeout (503).
    await manager.query(
      "SELECT set_config('lock_timeout', $3, true), pg_advisory_xact_lock(hashtext($1)), pg_notify($1, $2)",
      [this.coordinator.channel, 'appended', `${APPEND_LOCK_TIMEOUT_MS}ms`],
    );
  }

  /** The stream's version and the hash its next event chains from, in one indexed lookup. */
  private async streamHead(manager: EntityManager, streamId: string): Promise<StreamHead> {
    const [row] = await manager.query<{ stream_version: number | string; hash: string | null }[]>(
      this.sql(STREAM_HEAD_SQL),
      [streamId],
    );
    // A head without a hash is already a break the verifier reports; chaining on from genesis adds none.
    return { version: Number(row?.stream_version ?? 0), hash: row?.hash ?? GENESIS_HASH };
  }

  private async insertEvents(
    manager: EntityManager,
    streamId: string,
    head: StreamHead,
    rows: { type: string; data: string }[],
    metadata: string,
  ): Promise<number[]> {
    const values = newEventRows(this.transactions.engine, streamId, head, rows, metadata);
    const inserted = await manager.query<{ position: number | string; stream_version: number | string }[]>(
      this.sql(
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

  private async rememberIdempotencyKey(
    manager: EntityManager,
    idempotency: IdempotentAppend,
    appended: AppendResult,
  ): Promise<void> {
    const parameters = rememberKeyParameters(this.transactions.engine, idempotency, appended, new Date());
    const stored = await manager.query<unknown[]>(this.sql(REMEMBER_KEY_SQL), parameters);
    if (stored.length === 0) throw new IdempotencyKeyTaken(idempotency.scope, idempotency.key);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const upTo = options.toVersion === undefined ? '' : ' AND stream_version <= ?';
    const parameters = [
      streamId,
      options.fromVersion ?? 1,
      ...(options.toVersion === undefined ? [] : [options.toVersion]),
    ];
    const rows = await this.transactions.read((manager) =>
      manager.query<EventRow[]>(
        this.sql(
          `SELECT ${EVENT_COLUMNS} FROM events
           WHERE stream_id = ? AND stream_version >= ?${upTo} ORDER BY stream_version`,
        ),
        parameters,
      ),
    );
    return rows.map((row) => this.toRecordedEvent(row));
  }

  async readAll(afterPosition: number, limit: number): Promise<RecordedEvent[]> {
    const rows = await this.transactions.read((manager) =>
      manager.query<EventRow[]>(
        this.sql(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
        [afterPosition, limit],
      ),
    );
    return rows.map((row) => this.toRecordedEvent(row));
  }

  async headPosition(): Promise<number> {
    const [row] = await this.transactions.read((manager) =>
      manager.query<{ position: unknown }[]>('SELECT MAX(position) AS position FROM events'),
    );
    return Number(row?.position ?? 0);
  }

  async streamVersion(streamId: string): Promise<number> {
    return (await this.transactions.read((manager) => this.streamHead(manager, streamId))).version;
  }

  findIdempotencyRecord(scope: string, key: string, now: Date): Promise<IdempotencyRecord | undefined> {
    return findIdempotencyRecord(this.transactions, scope, key, now);
  }

  deleteExpiredIdempotencyRecords(now: Date, limit: number): Promise<number> {
    return deleteExpiredIdempotencyRecords(this.transactions, now, limit);
  }

  onAppended(listener: (result: AppendResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private toRecordedEvent(row: EventRow): RecordedEvent {
    return {
      position: Number(row.position),
      eventId: row.event_id,
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version),
      type: row.type,
      event: this.registry.deserialize(row.type, parseJson<EventData>(row.data)),
      metadata: parseJson<EventMetadata>(row.metadata),
      recordedAt: fromDbTime(row.recorded_at),
    };
  }
}
