import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { SqliteFileInUse, SqliteProcessLock } from './sqlite-process-lock';
import { SqliteWalCheckpointer } from './sqlite-wal-checkpointer';

/**
 * A DataSource that holds its SQLite file's process lock and checkpoints its WAL on a thread of its own
 * while it is open, and gives up both when it is destroyed.
 */
class LockedSqliteDataSource extends DataSource {
  private checkpointer: SqliteWalCheckpointer | undefined;

  constructor(
    options: DataSourceOptions & { type: 'better-sqlite3' },
    private readonly lock: SqliteProcessLock,
  ) {
    super(options);
  }

  override async initialize(): Promise<this> {
    await super.initialize();
    this.checkpointer = new SqliteWalCheckpointer((this.options as { database: string }).database);
    return this;
  }

  override async destroy(): Promise<void> {
    try {
      await this.checkpointer?.stop();
      await super.destroy();
    } finally {
      this.lock.release();
    }
  }
}

async function openSqlite(options: DataSourceOptions & { type: 'better-sqlite3' }): Promise<DataSource> {
  if (options.database === ':memory:') return new DataSource(options).initialize();
  const lock = SqliteProcessLock.acquire(options.database);
  try {
    return await new LockedSqliteDataSource(options, lock).initialize();
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Whether Nest should try again to open the database after this error: not when retrying cannot help. */
export function worthRetrying(error: unknown): boolean {
  return !(error instanceof SqliteFileInUse);
}

/**
 * Opens the DataSource, which runs pending migrations. A SQLite file is locked to this process first.
 * On PostgreSQL the configured schema is created first (the migrations table lives in it), and instances
 * starting together take turns under an advisory lock, so only one of them migrates and the others find
 * the work done.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'better-sqlite3') return openSqlite(options);
  if (options.type !== 'postgres' || options.schema === undefined) return new DataSource(options).initialize();
  const client = new Client({ connectionString: options.url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`ledgerline:${options.schema}:migrations`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    return await new DataSource(options).initialize();
  } finally {
    // Ending the session releases the lock.
    await client.end();
  }
}
