import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { WrongExpectedVersion } from '../event-sourcing.errors';
import {
  ANY_VERSION,
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedVersion,
  IdempotencyKeyTaken,
  IdempotencyRecord,
  NO_STREAM,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { EventData, EventTypeRegistry } from '../event-type-registry';
import { fromDbTime, isUniqueViolation, parseJson, sql, toDbTime } from './sql';
import { ClusterCoordinator } from './cluster-coordinator';
import { Transactions } from './transactions';

interface EventRow {
  position: number | string;
  event_id: string;
  stream_id: string;
  stream_version: number | string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: unknown;
}

const STREAM_VERSION_UNIQUE = { name: 'uq_events_stream_version', columns: 'events.stream_id, events.stream_version' };
const IDEMPOTENCY_KEY_UNIQUE = { name: 'idempotency_keys_pkey', columns: 'idempotency_keys.key' };
const APPEND_LOCK_TIMEOUT_MS = 5000;
const EVENT_COLUMNS = 'position, event_id, stream_id, stream_version, type, data, metadata, recorded_at';

/** The event store on the `events` table, for SQLite and PostgreSQL alike. */
@Injectable()
export class TypeOrmEventStore extends EventStore {
  private readonly listeners = new Set<(result: AppendResult) => void>();

  constructor(
    private readonly transactions: Transactions,
    private readonly registry: EventTypeRegistry,
    private readonly coordinator: ClusterCoordinator,
  ) {
    super();
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
      result = await this.transactions.write(async (manager) => {
        const actual = await this.currentVersion(manager, streamId);
        if (!matches(expectedVersion, actual)) throw new WrongExpectedVersion(streamId, expectedVersion, actual);
        if (this.transactions.engine === 'postgres' && rows.length > 0) await this.serialisePositions(manager);
        const positions = rows.length === 0 ? [] : await this.insertEvents(manager, streamId, actual, rows, metadata);
        const appended = { streamId, version: actual + rows.length, positions };
        if (options.idempotency) await this.rememberIdempotencyKey(manager, options.idempotency, appended);
        return appended;
      });
    } catch (error) {
      // Another process appended between our version check and our insert: the UNIQUE index caught it.
      if (isUniqueViolation(error, STREAM_VERSION_UNIQUE)) {
        throw new WrongExpectedVersion(streamId, expectedVersion, await this.streamVersion(streamId));
      }
      if (isUniqueViolation(error, IDEMPOTENCY_KEY_UNIQUE) && options.idempotency) {
        throw new IdempotencyKeyTaken(options.idempotency.key);
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

  private async currentVersion(manager: EntityManager, streamId: string): Promise<number> {
    const [row] = await manager.query<{ version: number | string | null }[]>(
      this.sql('SELECT MAX(stream_version) AS version FROM events WHERE stream_id = ?'),
      [streamId],
    );
    return Number(row?.version ?? 0);
  }

  private async insertEvents(
    manager: EntityManager,
    streamId: string,
    actualVersion: number,
    rows: { type: string; data: string }[],
    metadata: string,
  ): Promise<number[]> {
    const recordedAt = toDbTime(this.transactions.engine, new Date());
    const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
    const parameters = rows.flatMap((row, index) => [
      randomUUID(),
      streamId,
      actualVersion + index + 1,
      row.type,
      row.data,
      metadata,
      recordedAt,
    ]);
    const inserted = await manager.query<{ position: number | string; stream_version: number | string }[]>(
      this.sql(
        `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
         VALUES ${values} RETURNING position, stream_version`,
      ),
      parameters,
    );
    return inserted
      .map((row) => ({ position: Number(row.position), version: Number(row.stream_version) }))
      .sort((a, b) => a.version - b.version)
      .map((row) => row.position);
  }

  private async rememberIdempotencyKey(
    manager: EntityManager,
    idempotency: NonNullable<AppendOptions['idempotency']>,
    appended: AppendResult,
  ): Promise<void> {
    const engine = this.transactions.engine;
    const now = new Date();
    // An expired key may be taken over; a live one makes this append fail as a whole.
    const stored = await manager.query<unknown[]>(
      this.sql(
        `INSERT INTO idempotency_keys (key, fingerprint, stream_id, version, position, recorded_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, stream_id = excluded.stream_id,
           version = excluded.version, position = excluded.position, recorded_at = excluded.recorded_at,
           expires_at = excluded.expires_at
         WHERE idempotency_keys.expires_at <= ?
         RETURNING key`,
      ),
      [
        idempotency.key,
        idempotency.fingerprint,
        appended.streamId,
        appended.version,
        appended.positions.at(-1) ?? 0,
        toDbTime(engine, now),
        toDbTime(engine, idempotency.expiresAt),
        toDbTime(engine, now),
      ],
    );
    if (stored.length === 0) throw new IdempotencyKeyTaken(idempotency.key);
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

  streamVersion(streamId: string): Promise<number> {
    return this.transactions.read((manager) => this.currentVersion(manager, streamId));
  }

  async findIdempotencyRecord(key: string, now: Date): Promise<IdempotencyRecord | undefined> {
    const [row] = await this.transactions.read((manager) =>
      manager.query<Record<string, unknown>[]>(
        this.sql(
          `SELECT key, fingerprint, stream_id, version, position, recorded_at FROM idempotency_keys
             WHERE key = ? AND expires_at > ?`,
        ),
        [key, toDbTime(this.transactions.engine, now)],
      ),
    );
    if (row === undefined) return undefined;
    return {
      key: String(row.key),
      fingerprint: String(row.fingerprint),
      streamId: String(row.stream_id),
      version: Number(row.version),
      position: Number(row.position),
      recordedAt: fromDbTime(row.recorded_at),
    };
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

function matches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === ANY_VERSION) return true;
  if (expected === NO_STREAM) return actual === 0;
  return expected === actual;
}
