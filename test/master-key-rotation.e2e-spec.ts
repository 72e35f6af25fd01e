import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { EventStore, NO_STREAM } from '../src/event-sourcing/event-store';
import { fingerprint, newKey } from '../src/event-sourcing/personal-data/personal-data-cipher';
import { ContactRecorded, contactOf } from '../src/event-sourcing/testing/personal-data.fixture';
import { isolatedDatabase, IsolatedDatabase, testEngine } from '../src/event-sourcing/testing/test-database';
import { runAppExpectingExit } from './support/app-process';
import { startTestApp } from './support/test-app';

const ROTATE = join(process.cwd(), 'dist', 'src', 'rotate-master-key.js');

/** `npm run rotate-master-key` with these settings: its exit code and output. */
function runRotation(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(ROTATE)) throw new Error(`${ROTATE} is missing: run "npm run build" before the e2e tests`);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [ROTATE],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** Appends a contact through a service started with `env`, or reads it back. */
async function withService<T>(env: Record<string, string>, work: (events: EventStore, url: string) => Promise<T>) {
  const test = await startTestApp(env);
  try {
    return await work(test.app.get(EventStore), test.url);
  } finally {
    await test.close();
  }
}

const readContact = (events: EventStore) =>
  events.readStream('contact-ada').then(([event]) => event!.event as ContactRecorded);

describe('rotating the personal-data master key', () => {
  let database: IsolatedDatabase;
  const [oldKey, newMasterKey] = [newKey(), newKey()];
  const base64 = (key: Buffer) => key.toString('base64');

  beforeAll(async () => {
    database = isolatedDatabase();
    await withService({ ...database.env, PERSONAL_DATA_MASTER_KEY: base64(oldKey) }, (events) =>
      events.append('contact-ada', NO_STREAM, [contactOf('ada')]),
    );
  });
  afterAll(() => database.drop());

  it('re-wraps every data key under the new master key, printing fingerprints and never a key', async () => {
    const { code, stdout, stderr } = await runRotation({
      ...database.env,
      PERSONAL_DATA_MASTER_KEY: base64(oldKey),
      PERSONAL_DATA_NEW_MASTER_KEY: base64(newMasterKey),
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({
      rewrapped: 1,
      alreadyWrapped: 0,
      from: [fingerprint(oldKey)],
      to: fingerprint(newMasterKey),
      keyFile: null,
    });
    for (const key of [oldKey, newMasterKey]) expect(stdout).not.toContain(base64(key));

    const env = { ...database.env, PERSONAL_DATA_MASTER_KEY: base64(newMasterKey) };
    expect(await withService(env, readContact)).toEqual(contactOf('ada'));
  });

  it('leaves a service started with the old key refusing to start, with one clear line', async () => {
    const { code, output } = await runAppExpectingExit({
      ...database.env,
      PORT: '0',
      PERSONAL_DATA_MASTER_KEY: base64(oldKey),
    });
    expect(code).toBe(1);
    expect(output).toContain(`PERSONAL_DATA_MASTER_KEY does not match the stored personal-data keys`);
    expect(output).toContain(fingerprint(newMasterKey));
    expect(output).not.toContain('ada@mail.example');
  });

  if (testEngine() === 'sqlite') {
    it('rotates the generated development key in its file when no new key is given', async () => {
      const devDatabase = isolatedDatabase();
      try {
        const keyFile = `${devDatabase.env.DATABASE_PATH!}.master-key`;
        await withService(devDatabase.env, async (events, url) => {
          await events.append('contact-ada', NO_STREAM, [contactOf('ada')]);
          await request(url).get('/customers/ada/personal-data').expect(200);
        });
        const before = readFileSync(keyFile, 'utf8');
        const { code, stdout } = await runRotation(devDatabase.env);
        expect(code).toBe(0);
        const after = readFileSync(keyFile, 'utf8');
        expect(after).not.toEqual(before);
        expect(JSON.parse(stdout)).toMatchObject({ rewrapped: 1, keyFile });
        expect(stdout).not.toContain(after.trim());
        expect(await withService(devDatabase.env, readContact)).toEqual(contactOf('ada'));
      } finally {
        await devDatabase.drop();
      }
    });
  }
});
