import { randomUUID } from 'node:crypto';
import { eventHash } from '../event-hash';
import { WrongExpectedVersion } from '../event-sourcing.errors';
import { ANY_VERSION, ExpectedVersion, NO_STREAM } from '../event-store';
import { Engine, toDbTime } from './sql';

/** A stream's version and the hash its next event chains from. */
export interface StreamHead {
  version: number;
  hash: string;
}

/** Throws WrongExpectedVersion unless the stream is where the caller expects it. */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok = expected === ANY_VERSION || (expected === NO_STREAM ? actual === 0 : expected === actual);
  if (!ok) throw new WrongExpectedVersion(streamId, expected, actual);
}

/**
 * The column values of new events, in `events` column order (event_id, stream_id, stream_version, type,
 * data, metadata, recorded_at, hash), each hash chained from the one before. Hashed from the stored JSON
 * parsed back: exactly what a verifier reads later, on either engine.
 */
export function newEventRows(
  engine: Engine,
  streamId: string,
  head: StreamHead,
  rows: { type: string; data: string }[],
  metadata: string,
): unknown[][] {
  const now = new Date();
  const recordedAt = toDbTime(engine, now);
  const common = { streamId, metadata: JSON.parse(metadata) as unknown, recordedAt: now };
  let previous = head.hash;
  return rows.map(({ type, data }, index) => {
    const streamVersion = head.version + index + 1;
    previous = eventHash(previous, { ...common, streamVersion, type, data: JSON.parse(data) as unknown });
    return [randomUUID(), streamId, streamVersion, type, data, metadata, recordedAt, previous];
  });
}
