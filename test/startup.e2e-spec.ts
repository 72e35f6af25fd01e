import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAppExpectingExit, startAppProcess } from './support/app-process';

describe('starting the built service', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_TYPE: 'oracle' }, 'DATABASE_TYPE'],
    [{ DATABASE_TYPE: 'postgres' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ CONSISTENCY_WAIT_MS: '-1' }, 'CONSISTENCY_WAIT_MS'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '0' }, 'HTTP_REQUEST_TIMEOUT_MS'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' }, 'HTTP_HEADERS_TIMEOUT_MS'],
    [{ AUTH_MAX_TOKEN_LIFETIME_S: '0' }, 'AUTH_MAX_TOKEN_LIFETIME_S'],
    [{ AUTH_MODE: 'jwt' }, 'AUTH_JWT_SECRET'],
    [{ BODY_LIMIT: 'lots' }, 'BODY_LIMIT'],
    [{ BODY_LIMIT: '-5kb' }, 'BODY_LIMIT'],
    [{ HOST: 'not a host' }, 'HOST'],
    [{ PAUSED_SUBSCRIPTIONS: 'cart-details,nope' }, 'PAUSED_SUBSCRIPTIONS'],
    [{ LIVE_STREAMS_PER_CLIENT: '0' }, 'LIVE_STREAMS_PER_CLIENT'],
    [{ LIVE_STREAM_STALL_MS: 'soon' }, 'LIVE_STREAM_STALL_MS'],
    [{ NATS_URL: 'http://127.0.0.1:4222' }, 'NATS_URL'],
    [{ NATS_STREAM: 'has.dots' }, 'NATS_STREAM'],
    [{ NATS_SUBJECT_PREFIX: 'ledgerline.>' }, 'NATS_SUBJECT_PREFIX'],
    [{ NATS_DUPLICATE_WINDOW_S: '0' }, 'NATS_DUPLICATE_WINDOW_S'],
    [{ TRUST_PROXY: 'my-balancer' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/40' }, 'TRUST_PROXY'],
    [{ SSE_HEARTBEAT_MS: '0' }, 'SSE_HEARTBEAT_MS'],
    [{ READY_MAX_LAG: 'many' }, 'READY_MAX_LAG'],
    [{ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) }, 'PERSONAL_DATA_MASTER_KEY'],
    [{ PERSONAL_DATA_MASTER_KEY: 'dG9vIHNob3J0' }, 'PERSONAL_DATA_MASTER_KEY'],
  ])('refuses %j with one line naming %s', async (env, variable) => {
    const { code, output } = await runAppExpectingExit({ DATABASE_PATH: ':memory:', PORT: '0', ...env });
    expect(code).toBe(1);
    // JSON log lines: pino's level 50 is an error.
    const errors = output.split('\n').filter((line) => /"level":50|\bERROR\b|^\s+at /.test(line));
    expect(errors).toEqual([expect.stringContaining(`Invalid environment variable ${variable}`)]);
  });

  it('lists the subscriptions there are when PAUSED_SUBSCRIPTIONS names another', async () => {
    const { output } = await runAppExpectingExit({
      DATABASE_PATH: ':memory:',
      PORT: '0',
      PAUSED_SUBSCRIPTIONS: 'nope',
    });
    for (const name of ['cart-details', 'customer-carts', 'order-details', 'checkout-saga'])
      expect(output).toContain(name);
  });

  it('creates its SQLite file, runs the migrations and serves /health', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ledgerline-start-'));
    const app = await startAppProcess({ DATABASE_PATH: join(folder, 'nested', 'service.sqlite') });
    try {
      const response = await fetch(`${app.url}/health`);
      expect(await response.json()).toEqual({ status: 'ok', database: 'sqlite' });
    } finally {
      await app.stop();
      rmSync(folder, { recursive: true, force: true });
    }
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; context?: string; msg: string; signal?: string });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 30, context: 'TypeORM', msg: expect.stringMatching(/^Migration .* executed/) }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ context: 'Shutdown', signal: 'SIGTERM' }));
  });

  it.each([
    [{}, /Listening on http:\/\/(0\.0\.0\.0|\[::\]):(\d+) /],
    [{ HOST: '127.0.0.1' }, /Listening on http:\/\/127\.0\.0\.1:(\d+) /],
  ])('with %j logs the address it really listens on', async (env, logged) => {
    const app = await startAppProcess({ DATABASE_PATH: ':memory:', ...env });
    try {
      expect(app.output()).toMatch(logged);
      expect(app.output()).toContain(`:${new URL(app.url).port} `);
    } finally {
      await app.stop();
    }
  });

  it('has an npm start:prod script that runs the built entry point', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    const entry = /^node (\S+)$/.exec(scripts['start:prod'] ?? '')?.[1];
    expect(entry).toBeDefined();
    expect(existsSync(entry!) || existsSync(`${entry}.js`)).toBe(true);
  });
});
