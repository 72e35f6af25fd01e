import type { AppendResult, IdempotencyRecord, IdempotentAppend } from '../event-store';
import { Engine, fromDbTime, sql, toDbTime } from './sql';
import { Transactions } from './transactions';

export const IDEMPOTENCY_KEY_UNIQUE = {
  name: 'idempotency_keys_pkey',
  columns: 'idempotency_keys.scope, idempotency_keys.key',
};

/** An expired key may be taken over; a live one makes the append fail as a whole. */
export const REMEMBER_KEY_SQL = `INSERT INTO idempotency_keys
    (scope, key, fingerprint, stream_id, version, position, recorded_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, stream_id = excluded.stream_id,
    version = excluded.version, position = excluded.position, recorded_at = excluded.recorded_at,
    expires_at = excluded.expires_at
  WHERE idempotency_keys.expires_at <= ?
  RETURNING key`;

/** The parameters of REMEMBER_KEY_SQL for a key stored with `appended`, at `now`. */
export function rememberKeyParameters(
  engine: Engine,
  idempotency: IdempotentAppend,
  appended: AppendResult,
  now: Date,
): unknown[] {
  return [
    idempotency.scope,
    idempotency.key,
    idempotency.fingerprint,
    appended.streamId,
    appended.version,
    appended.positions.at(-1) ?? 0,
    toDbTime(engine, now),
    toDbTime(engine, idempotency.expiresAt),
    toDbTime(engine, now),
  ];
}

export async function findIdempotencyRecord(
  transactions: Transactions,
  scope: string,
  key: string,
  now: Date,
): Promise<IdempotencyRecord | undefined> {
  const [row] = await transactions.read((manager) =>
    manager.query<Record<string, unknown>[]>(
      sql(
        transactions.engine,
        `SELECT scope, key, fingerprint, stream_id, version, position, recorded_at FROM idempotency_keys
           WHERE scope = ? AND key = ? AND expires_at > ?`,
      ),
      [scope, key, toDbTime(transactions.engine, now)],
    ),
  );
  if (row === undefined) return undefined;
  return {
    scope: String(row.scope),
    key: String(row.key),
    fingerprint: String(row.fingerprint),
    streamId: String(row.stream_id),
    version: Number(row.version),
    position: Number(row.position),
    recordedAt: fromDbTime(row.recorded_at),
  };
}

/**
 * One short transaction per batch, on the expires_at index. The outer condition is checked again on the
 * row as it is when deleted, so a key just taken over by an append (a new expiry) stays. On PostgreSQL,
 * rows another sweeper or appender holds are skipped, so instances sweeping together never queue.
 */
export function deleteExpiredIdempotencyRecords(transactions: Transactions, now: Date, limit: number): Promise<number> {
  const engine = transactions.engine;
  const skipLocked = engine === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const expired = toDbTime(engine, now);
  return transactions.write(async (manager) => {
    const result = await manager.queryRunner!.query(
      sql(
        engine,
        `DELETE FROM idempotency_keys WHERE expires_at <= ? AND (scope, key) IN
           (SELECT scope, key FROM idempotency_keys WHERE expires_at <= ? LIMIT ?${skipLocked})`,
      ),
      [expired, expired, limit],
      true,
    );
    return result.affected ?? 0;
  });
}
