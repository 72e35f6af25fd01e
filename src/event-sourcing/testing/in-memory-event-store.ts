import { eventTypeOf } from '../event-type';
import { randomUUID } from 'node:crypto';
import { WrongExpectedVersion } from '../event-sourcing.errors';
import {
  ANY_VERSION,
  AppendListener,
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  IdempotencyKeyTaken,
  IdempotencyRecord,
  NO_STREAM,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { EventData, EventTypeRegistry } from '../event-type-registry';

/** One map key per (scope, key) pair; JSON keeps any two pairs apart, whatever characters they hold. */
const recordKey = (scope: string, key: string) => JSON.stringify([scope, key]);

interface StoredRow {
  position: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: string;
  metadata: string;
  recordedAt: Date;
}

/**
 * The event store contract held in memory, for domain specs that run real command handlers without
 * a database. Rows are kept serialised, so a spec sees exactly what a stored event would give back.
 */
export class InMemoryEventStore extends EventStore {
  private readonly rows: StoredRow[] = [];
  private readonly keys = new Map<string, IdempotencyRecord & { expiresAt: Date }>();
  private readonly listeners = new Set<AppendListener>();

  constructor(private readonly registry = new EventTypeRegistry()) {
    super();
  }

  append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly object[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    // Every failure must surface as a rejected promise, as it would from a database.
    return Promise.resolve().then(() => this.appendNow(streamId, expectedVersion, events, options));
  }

  private appendNow(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly object[],
    options: AppendOptions,
  ): AppendResult {
    const actual = this.versionOf(streamId);
    const ok =
      expectedVersion === ANY_VERSION || (expectedVersion === NO_STREAM ? actual === 0 : expectedVersion === actual);
    if (!ok) throw new WrongExpectedVersion(streamId, expectedVersion, actual);
    const idempotency = options.idempotency;
    if (idempotency) {
      const existing = this.keys.get(recordKey(idempotency.scope, idempotency.key));
      if (existing && existing.expiresAt > new Date()) {
        throw new IdempotencyKeyTaken(idempotency.scope, idempotency.key);
      }
    }
    // Serialise everything before touching the log, so a failing event leaves nothing behind.
    const { rows: serialised, metadata } = this.registry.toStoredJson(streamId, events, options.metadata ?? {});
    const recordedAt = new Date();
    const positions = serialised.map((row, index) => {
      const position = this.rows.length + 1;
      this.rows.push({
        position,
        eventId: randomUUID(),
        streamId,
        streamVersion: actual + index + 1,
        ...row,
        metadata,
        recordedAt,
      });
      return position;
    });
    const result = { streamId, version: actual + serialised.length, positions };
    if (idempotency) {
      this.keys.set(recordKey(idempotency.scope, idempotency.key), {
        scope: idempotency.scope,
        key: idempotency.key,
        fingerprint: idempotency.fingerprint,
        streamId,
        version: result.version,
        position: positions.at(-1) ?? 0,
        recordedAt,
        expiresAt: idempotency.expiresAt,
      });
    }
    if (positions.length > 0) for (const listener of this.listeners) listener(result, 0);
    return result;
  }

  readStream(
    streamId: string,
    { fromVersion = 1, toVersion = Infinity }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    return Promise.resolve().then(() =>
      this.rows
        .filter(
          (row) => row.streamId === streamId && row.streamVersion >= fromVersion && row.streamVersion <= toVersion,
        )
        .map((row) => this.toRecorded(row)),
    );
  }

  readAll(afterPosition: number, limit: number): Promise<RecordedEvent[]> {
    return Promise.resolve().then(() =>
      this.rows
        .filter((row) => row.position > afterPosition)
        .slice(0, limit)
        .map((row) => this.toRecorded(row)),
    );
  }

  readEvent(position: number): Promise<RecordedEvent | undefined> {
    const row = this.rows[position - 1];
    return Promise.resolve().then(() => row && this.toRecorded(row));
  }

  headPosition(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }

  streamVersion(streamId: string): Promise<number> {
    return Promise.resolve(this.versionOf(streamId));
  }

  streamVersionAt(streamId: string, instant: Date): Promise<number> {
    return Promise.resolve(
      this.rows.reduce(
        (version, row) => (row.streamId === streamId && row.recordedAt <= instant ? row.streamVersion : version),
        0,
      ),
    );
  }

  findIdempotencyRecord(scope: string, key: string, now: Date): Promise<IdempotencyRecord | undefined> {
    const record = this.keys.get(recordKey(scope, key));
    if (record === undefined || record.expiresAt <= now) return Promise.resolve(undefined);
    const { expiresAt: _expiresAt, ...rest } = record;
    return Promise.resolve(rest);
  }

  deleteExpiredIdempotencyRecords(now: Date, limit: number): Promise<number> {
    const expired = [...this.keys].filter(([, record]) => record.expiresAt <= now).slice(0, limit);
    for (const [id] of expired) this.keys.delete(id);
    return Promise.resolve(expired.length);
  }

  onAppended(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private versionOf(streamId: string): number {
    return this.rows.reduce((version, row) => (row.streamId === streamId ? row.streamVersion : version), 0);
  }

  private toRecorded(row: StoredRow): RecordedEvent {
    const event = this.registry.deserialize(row.type, JSON.parse(row.data) as EventData);
    return {
      position: row.position,
      transactionId: 0,
      eventId: row.eventId,
      streamId: row.streamId,
      streamVersion: row.streamVersion,
      type: eventTypeOf(event),
      event,
      metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
      recordedAt: row.recordedAt,
    };
  }
}
