import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Another process already serves this SQLite file. */
export class SqliteFileInUse extends Error {
  constructor(readonly databasePath: string) {
    super(
      `The SQLite database ${databasePath} is already in use by another Ledgerline process. ` +
        'One SQLite file serves one process; to run several instances, use PostgreSQL (DATABASE_TYPE=postgres).',
    );
    this.name = 'SqliteFileInUse';
  }
}

/**
 * One process per SQLite file: subscriptions and the aggregate cache assume no other writer, and a
 * second process would run every projection twice and decide commands on stale memory. The guard is an
 * exclusive SQLite transaction held open on `<file>.lock` for as long as the service runs. The operating
 * system drops the lock when the process dies, even by kill -9, so a crash never leaves it stale, and
 * the database file itself stays open to readers such as `npm run verify`.
 */
export class SqliteProcessLock {
  private constructor(private readonly holder: Database.Database) {}

  static acquire(databasePath: string): SqliteProcessLock {
    mkdirSync(dirname(databasePath), { recursive: true });
    const holder = new Database(`${databasePath}.lock`, { timeout: 0 });
    try {
      holder.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      holder.close();
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw new SqliteFileInUse(databasePath);
      throw error;
    }
    return new SqliteProcessLock(holder);
  }

  release(): void {
    if (this.holder.open) this.holder.close();
  }
}
