import { Logger } from '@nestjs/common';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { keyFromBase64, newKey } from './personal-data-cipher';
import { MasterKeys } from './master-keys';

export interface MasterKeySettings {
  masterKey: Buffer | undefined;
  previousMasterKey: Buffer | undefined;
  production: boolean;
}

export interface DatabaseLocation {
  type: 'sqlite' | 'postgres';
  /** The SQLite file, or `:memory:`. */
  path: string;
}

/**
 * Where a development master key is kept when PERSONAL_DATA_MASTER_KEY is unset (never in production):
 * next to the SQLite file, which it belongs with; for PostgreSQL in `data/postgres.master-key` under the
 * working directory, shared by the instances started there (instances on other machines need the
 * variable). None for an in-memory database, whose data dies with the process anyway.
 */
export function developmentKeyFile(database: DatabaseLocation): string | undefined {
  if (database.type === 'postgres') return resolve(join('data', 'postgres.master-key'));
  return database.path === ':memory:' || database.path === '' ? undefined : resolve(`${database.path}.master-key`);
}

/** The master key in a development key file; throws when the file holds no key. */
export function readKeyFile(file: string): Buffer {
  const key = keyFromBase64(readFileSync(file, 'utf8'));
  if (key === undefined) throw new Error(`${file} holds no personal-data master key (base64 of 32 bytes)`);
  return key;
}

/** Writes a key file readable by its owner only. */
export function writeKeyFile(file: string, key: Buffer, flag: 'w' | 'wx'): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag });
}

function readOrCreate(file: string): Buffer {
  try {
    return readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    writeKeyFile(file, newKey(), 'wx');
  } catch (error) {
    // Another instance created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKeyFile(file);
}

/**
 * The master keys from the settings; outside production without PERSONAL_DATA_MASTER_KEY, a generated
 * development key kept in developmentKeyFile(), with a warning: such a key is as safe as the file.
 */
export function loadMasterKeys(settings: MasterKeySettings, database: DatabaseLocation): MasterKeys {
  if (settings.masterKey !== undefined) return new MasterKeys(settings.masterKey, settings.previousMasterKey);
  if (settings.production) throw new Error('PERSONAL_DATA_MASTER_KEY is required when NODE_ENV=production');
  const file = developmentKeyFile(database);
  if (file === undefined) return MasterKeys.ephemeral();
  const keys = new MasterKeys(readOrCreate(file), settings.previousMasterKey);
  new Logger('PersonalData').warn(
    `PERSONAL_DATA_MASTER_KEY is not set: personal data is encrypted under a development master key in ${file} ` +
      `(fingerprint ${keys.fingerprint}). Set PERSONAL_DATA_MASTER_KEY in production.`,
  );
  return keys;
}
