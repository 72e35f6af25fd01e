import { registerAs } from '@nestjs/config';
import { Matches } from 'class-validator';
import { ChoiceSetting, Env, IntegerSetting, readEnvironment, SettingThat } from './environment';

export const DATABASE_TYPES = ['sqlite', 'postgres'] as const;
export type DatabaseType = (typeof DATABASE_TYPES)[number];

export interface DatabaseConfig {
  type: DatabaseType;
  /** SQLite file (or `:memory:`). */
  path: string;
  /** How long SQLite waits for another connection's write lock before giving up. */
  busyTimeoutMs: number;
  /** PostgreSQL connection string. */
  url: string | undefined;
  /** PostgreSQL schema holding every table (created if missing); lets several deployments share a database. */
  schema: string;
  poolSize: number;
  logging: boolean;
}

const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'];

function postgresUrl(value: string): 'not a URL' | 'other protocol' | 'valid' {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  return POSTGRES_PROTOCOLS.includes(url.protocol) ? 'valid' : 'other protocol';
}

const URL_PROBLEMS = {
  'not a URL': `a URL (${POSTGRES_PROTOCOLS.join(' or ')})`,
  'other protocol': `a URL starting with ${POSTGRES_PROTOCOLS.join(' or ')}`,
  missing: 'a postgres:// URL when DATABASE_TYPE=postgres',
};

/** The environment variables behind DatabaseConfig, with their defaults. */
export class DatabaseEnvironment {
  @ChoiceSetting(DATABASE_TYPES)
  DATABASE_TYPE: DatabaseType = 'sqlite';

  @SettingThat(
    (value, settings) => (value === undefined ? settings.DATABASE_TYPE !== 'postgres' : postgresUrl(value) === 'valid'),
    (value) =>
      URL_PROBLEMS[
        value === undefined ? 'missing' : (postgresUrl(value) as Exclude<keyof typeof URL_PROBLEMS, 'missing'>)
      ],
  )
  DATABASE_URL?: string;

  DATABASE_PATH = 'data/ledgerline.sqlite';

  @IntegerSetting(0, 600_000)
  DATABASE_BUSY_TIMEOUT_MS = 5000;

  /** Interpolated into DDL, so only a plain identifier. */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'a lower-case SQL identifier (a-z, 0-9, _; at most 63)' })
  DATABASE_SCHEMA = 'public';

  @IntegerSetting(1, 1000)
  DATABASE_POOL_SIZE = 10;

  @ChoiceSetting(['true', 'false'])
  DATABASE_LOGGING = 'false';
}

export function readDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const settings = readEnvironment(DatabaseEnvironment, env);
  return {
    type: settings.DATABASE_TYPE,
    path: settings.DATABASE_PATH,
    busyTimeoutMs: settings.DATABASE_BUSY_TIMEOUT_MS,
    url: settings.DATABASE_URL,
    schema: settings.DATABASE_SCHEMA,
    poolSize: settings.DATABASE_POOL_SIZE,
    logging: settings.DATABASE_LOGGING === 'true',
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());
