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
  [key: string]: unknown;
}

export interface RecordedEvent<E extends object = object> {
  /** Global order across all streams; what subscriptions and checkpoints count in. */
  position: number;
  eventId: string;
  streamId: string;
  /** 1, 2, 3 … within the stream. */
  streamVersion: number;
  type: string;
  event: E;
  metadata: EventMetadata;
  recordedAt: Date;
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

  /** Up to `limit` events after `afterPosition`, in position order, across all streams. */
  abstract readAll(afterPosition: number, limit: number): Promise<RecordedEvent[]>;

  /** The position of the newest event, 0 when the store is empty. */
  abstract headPosition(): Promise<number>;

  /** The stream's current version, 0 when it does not exist. */
  abstract streamVersion(streamId: string): Promise<number>;

  /** The remembered result of an Idempotency-Key in its scope, unless it has expired by `now`. */
  abstract findIdempotencyRecord(scope: string, key: string, now: Date): Promise<IdempotencyRecord | undefined>;

  /**
   * Deletes up to `limit` records that expired by `now` and says how many went; call again while it
   * returns `limit`. Safe to run from several processes at once, and alongside appends reusing a key.
   */
  abstract deleteExpiredIdempotencyRecords(now: Date, limit: number): Promise<number>;

  /**
   * Calls back after each committed append (in this process). A wake-up signal only: subscribers
   * read what they need from the store, so a missed call delays nothing beyond the next poll.
   */
  abstract onAppended(listener: (result: AppendResult) => void): () => void;
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
