import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * Opens the DataSource, which runs pending migrations. On PostgreSQL the configured schema is created
 * first (the migrations table lives in it), and instances starting together take turns under an
 * advisory lock, so only one of them migrates and the others find the work done.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
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
