import { eventHash } from '../event-hash';
import { fromDbTime, parseJson } from './sql';

/** An `events` row as either engine's driver returns it. */
export interface StoredEventRow {
  stream_id: string;
  stream_version: number | string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: unknown;
}

/**
 * The hash a row must carry, given its predecessor's: the same function the append uses, over the
 * values as stored (JSON text on SQLite, parsed jsonb on PostgreSQL). Throws on an unreadable row.
 */
export function storedEventHash(previousHash: string, row: StoredEventRow): string {
  return eventHash(previousHash, {
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    type: row.type,
    data: parseJson(row.data),
    metadata: parseJson(row.metadata),
    recordedAt: fromDbTime(row.recorded_at),
  });
}
