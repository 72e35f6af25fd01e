import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../../config/database.config';
import { dataSourceOptions } from '../../database/data-source-options';
import { openDataSource } from '../../database/prepare-database';

/**
 * Which engine the tests run on: SQLite unless TEST_ENGINE=postgres (then TEST_DATABASE_URL names the
 * server). The Jest projects ending in `-pg` set TEST_ENGINE, so one test file runs on both engines.
 */
export function testEngine(): 'sqlite' | 'postgres' {
  return process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

export interface IsolatedDatabase {
  /** Environment variables that point the service at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A database of its own for one test: a temp SQLite file, or a fresh PostgreSQL schema. */
export function isolatedDatabase(): IsolatedDatabase {
  if (testEngine() === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (url === undefined) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL');
    const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    return {
      env: { DATABASE_TYPE: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: schema },
      async drop() {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const folder = mkdtempSync(join(tmpdir(), 'ledgerline-test-'));
  return {
    env: { DATABASE_TYPE: 'sqlite', DATABASE_PATH: join(folder, 'test.sqlite') },
    drop: () => Promise.resolve(rmSync(folder, { recursive: true, force: true })),
  };
}

/** A migrated, isolated database; `drop()` closes and deletes it. */
export async function createTestDatabase(): Promise<{ dataSource: DataSource; drop(): Promise<void> }> {
  const database = isolatedDatabase();
  const dataSource = await openDataSource(dataSourceOptions(readDatabaseConfig(database.env)));
  return {
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
