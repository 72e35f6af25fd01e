/**
 * The event store contract. Used as the DI token; the TypeORM implementation lives in `typeorm/`,
 * and every implementation must pass `event-store.contract.ts`.
 */
export const NO_STREAM = 'no-stream';
export const ANY_VERSION = 'any';

/** Stream versions are 32-bit integers in the database. */
export const MAX_STREAM_VERSION = 2_147_483_647;

/** A stream version to append after, or "the stream must not exist yet", or "don't check". */
export type ExpectedVersion = number | typeof NO_STREAM | typeof ANY_VERSION;

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  commandId?: string;
  actor?: string;
  /** W3C trace context of the span that appended the event, while tracing is on: what it causes joins that trace. */
  traceparent?: string;
  [key: string]: unknown;
}

export interface RecordedEvent<E extends object = object> {
  /** Unique across all streams, and higher in each stream for each later version; checkpoints name it. */
  position: number;
  /**
   * Where the log's order needs more than the position: on PostgreSQL, transactions commit out of position
   * order, so the log is ordered by the appending transaction's id (xid8, taken at its first write: one
   * that first writes after another committed gets a larger one) and by position within it. 0 on SQLite
   * and in memory, where appends commit in position order.
   */
  transactionId: number;
  eventId: string;
  streamId: string;
  /** 1, 2, 3 … within the stream. */
  streamVersion: number;
  /** The type the event is read as: its current version, after upcasting (the row may hold an older one). */
  type: string;
  event: E;
  metadata: EventMetadata;
  recordedAt: Date;
}

/** An event's place in the log's order; see RecordedEvent.transactionId. */
export type LogOrder = Pick<RecordedEvent, 'transactionId' | 'position'>;

/** Where a reader starts: before every event. */
export const LOG_START: LogOrder = { transactionId: 0, position: 0 };

/** Negative when `a` comes first in the log, positive when `b` does, 0 for the same event. */
export function compareLogOrder(a: LogOrder, b: LogOrder): number {
  return a.transactionId - b.transactionId || a.position - b.position;
}

export interface IdempotentAppend {
  /**
   * Whose key it is: `client:<subject>` for a request, `internal:<saga>` for a saga's command. Keys only
   * meet within one scope, so no caller can replay or block another's commands.
   */
  scope: string;
  /** The Idempotency-Key, stored in the same transaction as the events. */
  key: string;
  /** What the key was used for (method, path, body); a repeat with another fingerprint is refused. */
  fingerprint: string;
  /** Until when a repeat answers with this result; after that the key may be used afresh. */
  expiresAt: Date;
}

export interface AppendOptions {
  metadata?: EventMetadata;
  idempotency?: IdempotentAppend;
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append. */
  version: number;
  /** Global positions of the appended events, in order. */
  positions: number[];
}

/** Told of each committed append and how long it took, in seconds. */
export type AppendListener = (result: AppendResult, seconds: number) => void;

export interface ReadStreamOptions {
  /** First version to return (inclusive, default 1). */
  fromVersion?: number;
  /** Last version to return (inclusive, default: the end). */
  toVersion?: number;
}

/** A remembered command result for an Idempotency-Key. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  fingerprint: string;
  streamId: string;
  version: number;
  position: number;
  recordedAt: Date;
}

export abstract class EventStore {
  /**
   * Appends atomically: all events or none. Throws WrongExpectedVersion (with the actual version)
   * if the stream is not where the caller expects it. With `idempotency`, the key is stored in the
   * same transaction; if a live record of the key exists, nothing is appended and IdempotencyKeyTaken
   * is thrown.
   */
  abstract append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly object[],
    options?: AppendOptions,
  ): Promise<AppendResult>;

  /** Events of one stream in version order; empty when the stream does not exist. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * Up to `limit` events across all streams in the log's order, after the event at `afterPosition` (0: from
   * the start). Only settled events: none can later appear before the last one returned, so a reader that
   * goes on after it skips nothing. Every append that committed before the call is included, unless an
   * older transaction stays open longer than a short wait. A position at which no event is stored is taken
   * as "every event after it", which may repeat some, never skip one.
   */
  abstract readAll(afterPosition: number, limit: number): Promise<RecordedEvent[]>;

  /** The event stored at `position`, if any. */
  abstract readEvent(position: number): Promise<RecordedEvent | undefined>;

  /** The position of the last settled event in the log's order (see readAll), 0 when the store is empty. */
  abstract headPosition(): Promise<number>;

  /** The stream's current version, 0 when it does not exist. */
  abstract streamVersion(streamId: string): Promise<number>;

  /**
   * The version of the stream's last event recorded at or before `instant` (to the millisecond, which both
   * engines keep), 0 when it had none yet. For time travel by time.
   */
  abstract streamVersionAt(streamId: string, instant: Date): Promise<number>;

  /** The remembered result of an Idempotency-Key in its scope, unless it has expired by `now`. */
  abstract findIdempotencyRecord(scope: string, key: string, now: Date): Promise<IdempotencyRecord | undefined>;

  /**
   * Deletes up to `limit` records that expired by `now` and says how many went; call again while it
   * returns `limit`. Safe to run from several processes at once, and alongside appends reusing a key.
   */
  abstract deleteExpiredIdempotencyRecords(now: Date, limit: number): Promise<number>;

  /**
   * Calls back after each committed append (in this process), with how long the append took (for metrics).
   * A wake-up signal only: subscribers read what they need from the store, so a missed call delays nothing
   * beyond the next poll.
   */
  abstract onAppended(listener: AppendListener): () => void;
}

/** Another request with the same Idempotency-Key committed first; its result is in the store. */
export class IdempotencyKeyTaken extends Error {
  constructor(
    readonly scope: string,
    readonly key: string,
  ) {
    super(`Idempotency-Key "${key}" of ${scope} was stored by a concurrent request`);
    this.name = 'IdempotencyKeyTaken';
  }
}
