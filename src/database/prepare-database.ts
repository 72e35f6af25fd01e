import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * Opens the DataSource (which runs pending migrations). On PostgreSQL the configured schema is created
 * first, since the migrations table itself lives in it.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'postgres' && options.schema !== undefined) {
    const client = new Client({ connectionString: options.url, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    } finally {
      await client.end();
    }
  }
  return new DataSource(options).initialize();
}
