import type { Database, Statement } from 'better-sqlite3';
import { GENESIS_HASH } from '../event-hash';
import { AppendResult, ExpectedVersion, IdempotencyKeyTaken, IdempotentAppend } from '../event-store';
import { checkExpectedVersion, newEventRows } from './event-rows';
import { Transactions } from './transactions';

export const STREAM_HEAD_SQL =
  'SELECT stream_version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1';
export const INSERT_EVENT_COLUMNS = '(event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash)';
/** An expired key may be taken over; a live one makes the append fail as a whole. */
export const REMEMBER_KEY_SQL = `INSERT INTO idempotency_keys (key, fingerprint, stream_id, version, position, recorded_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, stream_id = excluded.stream_id,
    version = excluded.version, position = excluded.position, recorded_at = excluded.recorded_at,
    expires_at = excluded.expires_at
  WHERE idempotency_keys.expires_at <= ?
  RETURNING key`;

interface Statements {
  db: Database;
  head: Statement<[string], { stream_version: number; hash: string | null }>;
  insert: Statement<unknown[], { position: number }>;
  remember: Statement<unknown[], { key: string }>;
}

/**
 * The SQLite append as one synchronous transaction of prepared statements on the driver's connection:
 * the same SQL as the TypeORM path, without an async round trip per statement.
 */
export class SqliteAppender {
  private statements: Statements | undefined;

  constructor(private readonly transactions: Transactions) {}

  append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    rows: { type: string; data: string }[],
    metadata: string,
    idempotency: IdempotentAppend | undefined,
  ): Promise<AppendResult> {
    return this.transactions.writeSqlite((db) => {
      const statements = this.prepared(db);
      const head = statements.head.get(streamId);
      const version = head?.stream_version ?? 0;
      checkExpectedVersion(streamId, expectedVersion, version);
      const values = newEventRows('sqlite', streamId, { version, hash: head?.hash ?? GENESIS_HASH }, rows, metadata);
      const positions = values.map((row) => statements.insert.get(...row)!.position);
      const appended = { streamId, version: version + rows.length, positions };
      if (idempotency !== undefined) {
        const now = new Date().toISOString();
        const stored = statements.remember.get(
          idempotency.key,
          idempotency.fingerprint,
          streamId,
          appended.version,
          positions.at(-1) ?? 0,
          now,
          idempotency.expiresAt.toISOString(),
          now,
        );
        if (stored === undefined) throw new IdempotencyKeyTaken(idempotency.key);
      }
      return appended;
    });
  }

  private prepared(db: Database): Statements {
    if (this.statements?.db !== db) {
      this.statements = {
        db,
        head: db.prepare(STREAM_HEAD_SQL),
        insert: db.prepare(
          `INSERT INTO events ${INSERT_EVENT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING position`,
        ),
        remember: db.prepare(REMEMBER_KEY_SQL),
      };
    }
    return this.statements;
  }
}
