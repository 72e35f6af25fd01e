import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { testEngine } from '../src/event-sourcing/testing/test-database';
import { sql } from '../src/event-sourcing/typeorm/sql';
import { Transactions } from '../src/event-sourcing/typeorm/transactions';
import { problemType } from '../src/http/problem-details';
import { eventually } from './support/eventually';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const VERIFY = join(process.cwd(), 'dist', 'src', 'verify.js');

type Check = { id: string; status: string; report: Report | null };
type Report = {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  firstBroken: { streamId: string; version: number; position: number; reason: string } | null;
};

/** `npm run verify` against the given database settings: its exit code and output. */
function runVerify(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(VERIFY)) throw new Error(`${VERIFY} is missing: run "npm run build" before the e2e tests`);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [VERIFY],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('the integrity check over HTTP and from the command line', () => {
  let test: TestApp;
  let streamId: string;
  let positions: number[];
  const api = () => request(test.url);

  beforeAll(async () => {
    test = await startTestApp();
    const opened = await api().post('/carts').send({ customerId: 'integrity' }).expect(201);
    const { cartId, position } = opened.body as { cartId: string; position: number };
    streamId = `shopping-cart-${cartId}`;
    positions = [position];
    for (const productId of ['shoes', 'socks']) {
      const added = await api()
        .post(`/carts/${cartId}/items`)
        .send({ productId, quantity: 1, unitPriceCents: 500 })
        .expect(200);
      positions.push((added.body as { position: number }).position);
    }
  });
  afterAll(() => test.close());

  /** Starts a check of every stream and polls it where the 202 said, until it is no longer running. */
  async function checkEverything(): Promise<Check> {
    const started = await api().post('/admin/integrity/checks').expect(202);
    const location = started.headers.location!;
    expect(location).toBe(`/admin/integrity/checks/${(started.body as Check).id}`);
    expect(Number(started.headers['retry-after'])).toBeGreaterThan(0);
    return eventually(async () => {
      const check = (await api().get(location).expect(200)).body as Check;
      return check.status === 'running' ? undefined : check;
    }, 'the integrity check to finish');
  }

  it('reports an intact stream at once, and an intact log through a background check', async () => {
    const intact = { ok: true, streamsChecked: 1, eventsChecked: 3, firstBroken: null };
    expect((await api().get('/admin/integrity').query({ streamId }).expect(200)).body).toEqual(intact);
    expect(await checkEverything()).toMatchObject({
      status: 'done',
      streamsChecked: 1,
      eventsChecked: 3,
      report: intact,
      error: null,
      finishedAt: expect.any(String),
    });
  });

  it('points a synchronous request for every stream to the background check', async () => {
    const response = await api().get('/admin/integrity').expect(400);
    expect(response.body).toMatchObject({
      type: problemType('validation-failed'),
      errors: [{ field: 'streamId', messages: [expect.stringContaining('POST /admin/integrity/checks')] }],
    });
  });

  it('answers a check id that names no check with a problem+json 404', async () => {
    for (const unknown of [randomUUID(), 'not-a-check'])
      expectProblem(await api().get(`/admin/integrity/checks/${unknown}`), 404, problemType('not-found'));
  });

  it('checks the streams of an aggregate when given its bare id (a cart or order UUID)', async () => {
    const intact = { ok: true, streamsChecked: 1, eventsChecked: 3, firstBroken: null };
    const cartId = streamId.slice('shopping-cart-'.length);
    for (const id of [cartId, cartId.toUpperCase()])
      expect((await api().get('/admin/integrity').query({ streamId: id }).expect(200)).body).toEqual(intact);
  });

  it('answers a stream or aggregate id that names no stream with a problem+json 404', async () => {
    for (const unknown of ['no-such-stream', randomUUID(), `shopping-cart-${randomUUID()}`])
      expectProblem(await api().get('/admin/integrity').query({ streamId: unknown }), 404, problemType('not-found'));
  });

  it.each([
    ['an empty', ''],
    ['a 301-character', 'x'.repeat(301)],
  ])('refuses %s stream id with a problem+json 400', async (_case, bad) => {
    const response = await api().get('/admin/integrity').query({ streamId: bad }).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ errors: [{ field: 'streamId' }] });
    await api().get('/admin/integrity').query({ stream: 'x' }).expect(400);
  });

  it('is documented under the admin tag', async () => {
    const document = (await api().get('/docs-json').expect(200)).body as {
      paths: Record<string, { get?: { tags?: string[]; parameters?: { name: string }[] } }>;
    };
    const operation = document.paths['/admin/integrity']?.get;
    expect(operation?.tags).toEqual(['admin']);
    expect(operation?.parameters?.map((parameter) => parameter.name)).toEqual(['streamId']);
  });

  it('exits 0 from npm run verify while the log is intact, printing the report', async () => {
    const { code, stdout } = await runVerify(test.database.env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ok: true, streamsChecked: 1, eventsChecked: 3, firstBroken: null });
  });

  it('finds an event changed in the database, over HTTP and with exit code 1', async () => {
    // Through the app's own unit-of-work queue, so no projection transaction on SQLite takes it in.
    await test.app.get(Transactions).write(async (manager) => {
      if (testEngine() === 'postgres') await manager.query('DROP TRIGGER events_append_only ON events');
      else await manager.query('DROP TRIGGER events_no_update');
      await manager.query(sql(testEngine(), 'UPDATE events SET data = ? WHERE position = ?'), [
        JSON.stringify({ productId: 'shoes', quantity: 1, unitPriceCents: 1 }),
        positions[1],
      ]);
    });
    const broken: Report = {
      ok: false,
      streamsChecked: 1,
      eventsChecked: 2,
      firstBroken: { streamId, version: 2, position: positions[1]!, reason: expect.any(String) as unknown as string },
    };
    expect(await checkEverything()).toMatchObject({ status: 'done', eventsChecked: 2, report: broken });
    expect((await api().get('/admin/integrity').query({ streamId }).expect(200)).body).toEqual(broken);

    const { code, stdout } = await runVerify(test.database.env);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual(broken);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'an unreachable database',
      { DATABASE_TYPE: 'postgres', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      /ECONNREFUSED/,
    ],
    [
      'a missing SQLite file',
      { DATABASE_TYPE: 'sqlite', DATABASE_PATH: '/nonexistent/ledgerline.sqlite' },
      /no SQLite/,
    ],
    ['an invalid setting', { DATABASE_TYPE: 'oracle' }, /DATABASE_TYPE/],
  ])('exits 2 from npm run verify on %s', async (_case, env, message) => {
    const { code, stdout, stderr } = await runVerify(env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('exits 2 from npm run verify on a database that is not migrated, without migrating it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ledgerline-verify-'));
    try {
      const path = join(folder, 'empty.sqlite');
      writeFileSync(path, '');
      const { code, stderr } = await runVerify({ DATABASE_TYPE: 'sqlite', DATABASE_PATH: path });
      expect(code).toBe(2);
      expect(stderr).toMatch(/pending migrations/);
      const db = new Database(path, { readonly: true });
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'events'").all()).toEqual([]);
      db.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
