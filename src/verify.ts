import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from './config/database.config';
import { dataSourceOptions } from './database/data-source-options';
import { Transactions } from './event-sourcing/typeorm/transactions';
import { IntegrityVerifier } from './integrity/integrity-verifier';

/**
 * `npm run verify`: checks the event log's hash chains in the database the service is configured for
 * (the same DATABASE_* variables) and prints the report as JSON. Exit code 0 when every chain is
 * intact, 1 at a break, 2 when the check could not run (bad setting, unreachable or unmigrated database).
 *
 * It only reads: it runs no migrations, since migrating would hash whatever the log holds now and so
 * vouch for it; a database with pending migrations is refused instead.
 */
async function verify(): Promise<number> {
  const config = readDatabaseConfig();
  if (config.type === 'sqlite' && config.path !== ':memory:' && !existsSync(config.path)) {
    throw new Error(`There is no SQLite database at ${config.path} (DATABASE_PATH)`);
  }
  const dataSource = await new DataSource({ ...dataSourceOptions(config), migrationsRun: false }).initialize();
  try {
    if (await dataSource.showMigrations()) {
      throw new Error('The database has pending migrations: start the service (or npm run migration:run) first');
    }
    const report = await new IntegrityVerifier(new Transactions(dataSource)).verify();
    await write(process.stdout, `${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

verify().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    await write(process.stderr, `verify: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
