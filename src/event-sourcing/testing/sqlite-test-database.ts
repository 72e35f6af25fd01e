import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../../config/database.config';
import { dataSourceOptions } from '../../database/data-source-options';

/** A migrated SQLite database in a fresh temp folder; `drop()` closes and deletes it. */
export async function createSqliteTestDatabase(): Promise<{
  dataSource: DataSource;
  path: string;
  drop(): Promise<void>;
}> {
  const folder = mkdtempSync(join(tmpdir(), 'ledgerline-test-'));
  const path = join(folder, 'test.sqlite');
  const dataSource = new DataSource(dataSourceOptions(readDatabaseConfig({ DATABASE_PATH: path })));
  await dataSource.initialize();
  return {
    dataSource,
    path,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
