import { registerAs } from '@nestjs/config';
import { choiceVar, identifierVar, integerVar, optionalUrlVar, stringVar, InvalidEnvironmentVariable } from './env';

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

export function readDatabaseConfig(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const type = choiceVar(env, 'DATABASE_TYPE', 'sqlite', DATABASE_TYPES);
  const url = optionalUrlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (type === 'postgres' && url === undefined) {
    throw new InvalidEnvironmentVariable('DATABASE_URL', '', 'a postgres:// URL when DATABASE_TYPE=postgres');
  }
  return {
    type,
    path: stringVar(env, 'DATABASE_PATH', 'data/ledgerline.sqlite'),
    busyTimeoutMs: integerVar(env, 'DATABASE_BUSY_TIMEOUT_MS', 5000, { min: 0, max: 600000 }),
    url,
    schema: identifierVar(env, 'DATABASE_SCHEMA', 'public'),
    poolSize: integerVar(env, 'DATABASE_POOL_SIZE', 10, { min: 1, max: 1000 }),
    logging: choiceVar(env, 'DATABASE_LOGGING', 'false', ['true', 'false']) === 'true',
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());
