import { hash } from 'node:crypto';

/** What version 1 of every stream chains from. */
export const GENESIS_HASH = '0'.repeat(64);

/** The stored fields of an event that its hash covers; `data` and `metadata` as parsed JSON values. */
export interface HashedEvent {
  streamId: string;
  streamVersion: number;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: Date;
}

/**
 * JSON with the keys of every object sorted by UTF-16 code units (as RFC 8785 does) and arrays in their
 * order. PostgreSQL's jsonb reorders keys while SQLite keeps the text as written; parsed and written
 * again this way, both give the same bytes. Anything that is not a JSON value is refused rather than
 * silently dropped, since two different inputs must never hash alike.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
    return JSON.stringify(value);
  }
  // Plain loops: this runs for every appended event, inside the append transaction.
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) text += (index > 0 ? ',' : '') + canonicalJson(value[index]);
    return `${text}]`;
  }
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let text = '{';
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index]!;
      text += `${index > 0 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
    }
    return `${text}}`;
  }
  throw new TypeError(`A ${typeof value} is not a JSON value`);
}

/** The event's canonical JSON, whose `recordedAt` is ISO-8601 in UTC with milliseconds: what its hash covers. */
export function canonicalEvent(event: HashedEvent): string {
  return canonicalJson({
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  });
}

/**
 * SHA-256 (hex) of the previous event's hash (64 hex characters, GENESIS_HASH before version 1)
 * followed by the event's canonical JSON (both as UTF-8).
 * Throws when the event cannot be serialised (e.g. an invalid date), which a verifier counts as a break.
 */
export function eventHash(previousHash: string, event: HashedEvent): string {
  return hash('sha256', previousHash + canonicalEvent(event), 'hex');
}
