import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
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
    [{ LIVE_STREAMS_PER_CLIENT: '0' }, 'LIVE_STREAMS_PER_CLIENT'],
    [{ LIVE_STREAM_STALL_MS: 'soon' }, 'LIVE_STREAM_STALL_MS'],
  ])('refuses %j, naming %s', async (env, variable) => {
    const { code, output } = await runAppExpectingExit({ DATABASE_PATH: ':memory:', ...env });
    expect(code).toBe(1);
    expect(output).toContain(`Invalid environment variable ${variable}`);
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
  });
});
