import 'reflect-metadata';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { readDatabaseConfig } from './config/database.config';
import { readPersonalDataConfig } from './config/personal-data.config';
import { dataSourceOptions } from './database/data-source-options';
import { openDataSource } from './database/prepare-database';
import { developmentKeyFile, readKeyFile, writeKeyFile } from './event-sourcing/personal-data/master-key-source';
import { MasterKeys } from './event-sourcing/personal-data/master-keys';
import { rotateMasterKey } from './event-sourcing/personal-data/master-key-rotation';
import { newKey } from './event-sourcing/personal-data/personal-data-cipher';
import { Transactions } from './event-sourcing/typeorm/transactions';

/**
 * `npm run rotate-master-key`: re-wraps every personal-data key in the configured database (the service's
 * DATABASE_* variables) under PERSONAL_DATA_NEW_MASTER_KEY, in one transaction, events untouched. The
 * current key is PERSONAL_DATA_MASTER_KEY (and PERSONAL_DATA_PREVIOUS_MASTER_KEY), else the development
 * key file; with that file and no new key given, a new key is generated into the file. Prints counts and
 * fingerprints as JSON, never a key. Exit code 0 when done, 2 when nothing was changed.
 */
async function rotate(): Promise<void> {
  const database = readDatabaseConfig();
  const settings = readPersonalDataConfig();
  if (database.type === 'sqlite' && (database.path === ':memory:' || !existsSync(database.path))) {
    throw new Error(`There is no SQLite database at ${database.path} (DATABASE_PATH)`);
  }
  const keyFile = settings.masterKey === undefined ? developmentKeyFile(database) : undefined;
  if (settings.masterKey === undefined && (keyFile === undefined || !existsSync(keyFile))) {
    throw new Error('PERSONAL_DATA_MASTER_KEY is not set and there is no development key file: nothing to rotate from');
  }
  const current = new MasterKeys(settings.masterKey ?? readKeyFile(keyFile!), settings.previousMasterKey);
  if (settings.newMasterKey === undefined && keyFile === undefined) {
    throw new Error('Set PERSONAL_DATA_NEW_MASTER_KEY to the master key to rotate to');
  }
  const nextKey = settings.newMasterKey ?? newKey();
  const next = new MasterKeys(nextKey);
  // Opening the SQLite file takes its process lock: a running service (holding the old key) stops the rotation.
  const dataSource = await openDataSource({ ...dataSourceOptions(database), migrationsRun: false });
  try {
    if (await dataSource.showMigrations()) {
      throw new Error('The database has pending migrations: start the service (or npm run migration:run) first');
    }
    // The new key is on disk before any data key depends on it; the file is swapped once they all do.
    const pending = keyFile && `${keyFile}.new`;
    if (pending) writeKeyFile(pending, nextKey, 'w');
    const report = await rotateMasterKey(new Transactions(dataSource), current, next).catch((error: unknown) => {
      if (pending) rmSync(pending, { force: true });
      throw error;
    });
    if (pending) renameSync(pending, keyFile);
    await write(process.stdout, `${JSON.stringify({ ...report, keyFile: keyFile ?? null }, null, 2)}\n`);
  } finally {
    await dataSource.destroy();
  }
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

rotate().then(
  () => process.exit(0),
  async (error: unknown) => {
    await write(process.stderr, `rotate-master-key: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
