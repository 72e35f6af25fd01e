import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { readAppConfig } from './app.config';
import { readAuthConfig } from './auth.config';
import { readDatabaseConfig } from './database.config';
import { readNatsConfig } from './nats.config';
import { readObservabilityConfig } from './observability.config';
import { readPersonalDataConfig } from './personal-data.config';
import { ENVIRONMENT_NAMESPACES, validateEnvironment } from './validate-environment';

const SECRET = 'x'.repeat(32);
const PUBLIC_KEY = '-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----';

describe('validating the environment', () => {
  it('accepts an empty environment, every setting taking its default', () => {
    const env = {};
    expect(validateEnvironment(env)).toBe(env);
    expect(readAppConfig({})).toMatchObject({ host: undefined, port: 3000, bodyLimit: '100kb', trustProxy: false });
    expect(readDatabaseConfig({})).toEqual({
      type: 'sqlite',
      path: 'data/ledgerline.sqlite',
      busyTimeoutMs: 5000,
      url: undefined,
      schema: 'public',
      poolSize: 10,
      logging: false,
    });
    expect(readAuthConfig({})).toMatchObject({ mode: 'off', maxTokenLifetimeS: 86_400, rateLimitPerMinute: 0 });
    expect(readObservabilityConfig({})).toMatchObject({ metricsEnabled: true, logLevel: 'info', logFormat: 'json' });
    expect(readNatsConfig({})).toMatchObject({ servers: [], subjectPrefix: 'ledgerline', stream: 'LEDGERLINE' });
  });

  it('returns the environment as it came, writing no defaults into it', () => {
    const env = { PORT: ' 8080 ', UNRELATED: 'kept' };
    expect(validateEnvironment(env)).toEqual({ PORT: ' 8080 ', UNRELATED: 'kept' });
  });

  it('treats a blank value as unset', () => {
    expect(readAppConfig({ PORT: '  ', HOST: '' })).toMatchObject({ port: 3000, host: undefined });
  });

  it.each([
    [{ PORT: ' 8080 ' }, { port: 8080 }],
    [{ HOST: '::1' }, { host: '::1' }],
    [{ HOST: 'api.internal' }, { host: 'api.internal' }],
    [{ BODY_LIMIT: '1.5mb' }, { bodyLimit: '1.5mb' }],
    [{ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '5000' }, { httpHeadersTimeoutMs: 5000 }],
    [
      { PAUSED_SUBSCRIPTIONS: 'cart-details, ,order-details' },
      { pausedSubscriptions: ['cart-details', 'order-details'] },
    ],
    [{ SNAPSHOT_EVERY: 'shopping-cart:100,order:0' }, { snapshotEvery: { 'shopping-cart': 100, order: 0 } }],
    [{ TRUST_PROXY: 'true' }, { trustProxy: true }],
    [{ TRUST_PROXY: '2' }, { trustProxy: 2 }],
    [{ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }, { trustProxy: ['loopback', '10.0.0.0/8', 'fd00::/8'] }],
  ])('reads the app settings %j', (env, expected) => {
    expect(readAppConfig(env)).toMatchObject(expected);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT="eighty": expected an integer from 0 to 65535'],
    [{ PORT: '70000' }, 'PORT="70000": expected an integer from 0 to 65535'],
    [{ PORT: '1e3' }, 'PORT="1e3"'],
    [{ PORT: '0x50' }, 'PORT="0x50"'],
    [{ PORT: '80.0' }, 'PORT="80.0"'],
    [{ HOST: 'not a host' }, 'HOST="not a host": expected an IP address or a host name'],
    [{ BODY_LIMIT: '-5kb' }, 'BODY_LIMIT="-5kb"'],
    [{ CONSISTENCY_WAIT_MS: '-1' }, 'CONSISTENCY_WAIT_MS="-1": expected an integer from 0 to 60000'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '0' }, 'HTTP_REQUEST_TIMEOUT_MS="0"'],
    [
      { HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' },
      'HTTP_HEADERS_TIMEOUT_MS="6000": expected at most HTTP_REQUEST_TIMEOUT_MS (5000)',
    ],
    [{ HTTP_REQUEST_TIMEOUT_MS: '5000' }, 'HTTP_HEADERS_TIMEOUT_MS="10000": expected at most HTTP_REQUEST_TIMEOUT_MS'],
    [{ SNAPSHOT_EVERY: 'order:ten' }, 'SNAPSHOT_EVERY="order:ten": expected category:integer pairs'],
    [{ SNAPSHOT_EVERY: 'order:2000000' }, 'SNAPSHOT_EVERY="order:2000000"'],
    [{ TRUST_PROXY: 'my-balancer' }, 'TRUST_PROXY="my-balancer"'],
    [{ TRUST_PROXY: '10.0.0.0/40' }, 'TRUST_PROXY="10.0.0.0/40"'],
    [{ READY_MAX_LAG: 'many' }, 'READY_MAX_LAG="many"'],
  ])('refuses the app settings %j', (env, message) => {
    expect(() => readAppConfig(env)).toThrow(`Invalid environment variable ${message}`);
    expect(() => validateEnvironment(env)).toThrow(`Invalid environment variable ${message}`);
  });

  it('reads the database settings', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    const env = { DATABASE_TYPE: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: 'tenant_1', DATABASE_LOGGING: 'true' };
    expect(readDatabaseConfig(env)).toMatchObject({ type: 'postgres', url, schema: 'tenant_1', logging: true });
  });

  it.each([
    [{ DATABASE_TYPE: 'oracle' }, 'DATABASE_TYPE="oracle": expected one of sqlite, postgres'],
    [{ DATABASE_TYPE: 'postgres' }, 'DATABASE_URL="": expected a postgres:// URL when DATABASE_TYPE=postgres'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL="mysql://localhost/db": expected a URL starting with'],
    [{ DATABASE_URL: 'localhost' }, 'DATABASE_URL="localhost": expected a URL (postgres: or postgresql:)'],
    [{ DATABASE_SCHEMA: 'Robert"; DROP' }, 'DATABASE_SCHEMA="Robert\\"; DROP": expected a lower-case SQL identifier'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE="0"'],
    [{ DATABASE_LOGGING: 'yes' }, 'DATABASE_LOGGING="yes": expected one of true, false'],
  ])('refuses the database settings %j', (env, message) => {
    expect(() => readDatabaseConfig(env)).toThrow(`Invalid environment variable ${message}`);
    expect(() => validateEnvironment(env)).toThrow(`Invalid environment variable ${message}`);
  });

  it('reads the auth settings, the mode defaulting to jwt in production', () => {
    expect(readAuthConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET })).toMatchObject({
      mode: 'jwt',
      secret: SECRET,
    });
    expect(readAuthConfig({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: PUBLIC_KEY }).publicKey).toBe(
      PUBLIC_KEY.replace(/\\n/g, '\n'),
    );
  });

  it.each([
    [{ AUTH_MODE: 'basic' }, 'AUTH_MODE="basic": expected one of off, jwt'],
    [{ NODE_ENV: 'production', AUTH_MODE: 'off' }, 'AUTH_MODE="off": expected jwt when NODE_ENV=production'],
    [{ NODE_ENV: 'production' }, 'AUTH_JWT_SECRET="": expected exactly one of AUTH_JWT_SECRET'],
    [{ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET="(hidden)": expected at least 32 characters'],
    [
      { AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, AUTH_JWT_PUBLIC_KEY: PUBLIC_KEY },
      'AUTH_JWT_PUBLIC_KEY="(hidden)": expected exactly one of AUTH_JWT_SECRET',
    ],
    [{ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: 'abc' }, 'AUTH_JWT_PUBLIC_KEY="(hidden)": expected a PEM public key'],
    [{ AUTH_MAX_TOKEN_LIFETIME_S: '0' }, 'AUTH_MAX_TOKEN_LIFETIME_S="0"'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE="-1": expected an integer from 0 to 10000000'],
  ])('refuses the auth settings %j', (env, message) => {
    expect(() => readAuthConfig(env)).toThrow(`Invalid environment variable ${message}`);
    expect(() => validateEnvironment(env)).toThrow(`Invalid environment variable ${message}`);
  });

  it('never shows a secret in the message', () => {
    const read = () => readAuthConfig({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'hunter2' });
    expect(read).toThrow('AUTH_JWT_SECRET="(hidden)"');
    expect(read).not.toThrow(/hunter2/);
  });

  it('reads the observability settings', () => {
    const env = { METRICS_ENABLED: 'false', LOG_LEVEL: 'debug', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(readObservabilityConfig(env)).toMatchObject({
      metricsEnabled: false,
      logLevel: 'debug',
      otlpEndpoint: 'http://collector:4318',
    });
  });

  it.each([
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL="verbose": expected one of fatal, error'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT="xml": expected one of json, pretty'],
    [{ METRICS_ENABLED: '1' }, 'METRICS_ENABLED="1"'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector' }, 'OTEL_EXPORTER_OTLP_ENDPOINT="grpc://collector"'],
  ])('refuses the observability settings %j', (env, message) => {
    expect(() => readObservabilityConfig(env)).toThrow(`Invalid environment variable ${message}`);
    expect(() => validateEnvironment(env)).toThrow(`Invalid environment variable ${message}`);
  });

  it('reads the NATS settings', () => {
    const env = { NATS_URL: 'nats://a:4222, tls://b:4222', NATS_STREAM: 'ORDERS_1' };
    expect(readNatsConfig(env)).toMatchObject({ servers: ['nats://a:4222', 'tls://b:4222'], stream: 'ORDERS_1' });
  });

  it.each([
    [{ NATS_URL: 'http://127.0.0.1:4222' }, 'NATS_URL="http://127.0.0.1:4222": expected nats://host:port URLs'],
    [{ NATS_URL: 'nats://a:4222,nope' }, 'NATS_URL="nats://a:4222,nope"'],
    [{ NATS_STREAM: 'has.dots' }, 'NATS_STREAM="has.dots": expected a JetStream stream name'],
    [{ NATS_SUBJECT_PREFIX: 'ledgerline.>' }, 'NATS_SUBJECT_PREFIX="ledgerline.>": expected dot-separated'],
    [{ NATS_DUPLICATE_WINDOW_S: '0' }, 'NATS_DUPLICATE_WINDOW_S="0"'],
    [{ NATS_SOURCE: 'has space' }, 'NATS_SOURCE="has space": expected a URI reference without spaces'],
  ])('refuses the NATS settings %j', (env, message) => {
    expect(() => readNatsConfig(env)).toThrow(`Invalid environment variable ${message}`);
    expect(() => validateEnvironment(env)).toThrow(`Invalid environment variable ${message}`);
  });

  it('reads the personal-data master keys as 32 bytes of base64, required in production', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(readPersonalDataConfig({})).toEqual({
      masterKey: undefined,
      previousMasterKey: undefined,
      newMasterKey: undefined,
      production: false,
    });
    expect(readPersonalDataConfig({ NODE_ENV: 'production', PERSONAL_DATA_MASTER_KEY: key }).masterKey).toEqual(
      Buffer.alloc(32, 7),
    );
  });

  it.each([
    [{ NODE_ENV: 'production' }, 'PERSONAL_DATA_MASTER_KEY="": expected the base64 of 32 random bytes'],
    [{ PERSONAL_DATA_MASTER_KEY: Buffer.alloc(16).toString('base64') }, 'PERSONAL_DATA_MASTER_KEY="(hidden)"'],
    [{ PERSONAL_DATA_PREVIOUS_MASTER_KEY: 'short' }, 'PERSONAL_DATA_PREVIOUS_MASTER_KEY="(hidden)"'],
  ])('refuses the personal-data settings %j, never showing a key', (env, message) => {
    expect(() => readPersonalDataConfig(env)).toThrow(`Invalid environment variable ${message}`);
    expect(() => validateEnvironment({ ...env, AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(
      `Invalid environment variable ${message}`,
    );
  });

  it('checks only settings the README lists', () => {
    const firstCells = readFileSync('README.md', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|')[1]!);
    const listed = firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1]));
    const checked = ENVIRONMENT_NAMESPACES.flatMap((namespace) => Object.keys(new namespace()));
    expect(checked.length).toBeGreaterThan(40);
    expect(checked.filter((name) => !listed.includes(name))).toEqual([]);
  });
});
