import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { migrations } from '../migrations';

/**
 * The one place that turns database settings into TypeORM options, shared by the app and by
 * `ormconfig.ts` so the migration CLI always sees the same database the service does.
 * Tables are created by migrations only; `synchronize` stays off.
 */
export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: config.logging,
  };
  if (config.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.url,
      schema: config.schema,
      poolSize: config.poolSize,
      // Unqualified names in hand-written SQL resolve in the configured schema.
      extra: { options: `-c search_path=${config.schema}`, connectionTimeoutMillis: 5000 },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: true,
    timeout: config.busyTimeoutMs,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      // WAL + NORMAL is durable against process crashes; only an OS crash may lose the last commits.
      db.pragma('synchronous = NORMAL');
      // Freed cells are zeroed, so a read model's plaintext of an erased customer does not linger in free
      // space of the file (the WAL's old page images are truncated after an erasure: personal-data/).
      db.pragma('secure_delete = ON');
    },
  };
}
