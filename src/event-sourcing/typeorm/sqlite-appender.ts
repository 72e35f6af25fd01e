import type { Database, Statement } from 'better-sqlite3';
import { GENESIS_HASH } from '../event-hash';
import { AppendResult, ExpectedVersion, IdempotencyKeyTaken, IdempotentAppend } from '../event-store';
import { checkExpectedVersion, newEventRows } from './event-rows';
import { REMEMBER_KEY_SQL, rememberKeyParameters } from './idempotency-keys';
import { Transactions } from './transactions';

export const STREAM_HEAD_SQL =
  'SELECT stream_version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1';
export const INSERT_EVENT_COLUMNS = '(event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash)';
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
        const stored = statements.remember.get(...rememberKeyParameters('sqlite', idempotency, appended, new Date()));
        if (stored === undefined) throw new IdempotencyKeyTaken(idempotency.scope, idempotency.key);
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
