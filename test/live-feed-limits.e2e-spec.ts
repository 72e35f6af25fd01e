import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { LiveReader } from './support/live-reader';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const TOO_MANY = 'urn:ledgerline:problem:too-many-live-streams';
const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const as = (sub: string) => ({
  Authorization: `Bearer ${jwt.sign({ sub, roles: ['read'] }, SECRET, { algorithm: 'HS256', expiresIn: 300 })}`,
});

/** Opens a live stream, retrying while the server is still releasing a slot that was just closed. */
async function openWithin(url: string, withinMs: number, headers: Record<string, string> = {}): Promise<LiveReader> {
  for (const deadline = Date.now() + withinMs; ;) {
    try {
      return await LiveReader.open(url, '/events/live', headers);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('live streams per client, without authentication (by IP)', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ LIVE_STREAMS_PER_CLIENT: '2' });
  });
  afterAll(() => test.close());

  it('refuses a stream beyond LIVE_STREAMS_PER_CLIENT with 429 and Retry-After; a closed one frees its slot', async () => {
    const first = await LiveReader.open(test.url);
    const second = await LiveReader.open(test.url, '/events/live?after=0');
    let third: LiveReader | undefined;
    try {
      const refused = await request(test.url).get('/events/live');
      expectProblem(refused, 429, TOO_MANY);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Other requests of the same client are not affected.
      await request(test.url).get('/events?limit=1').expect(200);

      first.close();
      third = await openWithin(test.url, 5000);
      expectProblem(await request(test.url).get('/events/live'), 429, TOO_MANY);
    } finally {
      for (const reader of [first, second, third]) reader?.close();
    }
  });
});

describe('live streams per client, with tokens (by subject)', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, LIVE_STREAMS_PER_CLIENT: '1' });
  });
  afterAll(() => test.close());

  it("counts each token subject's streams apart, from the same address", async () => {
    const alice = await LiveReader.open(test.url, '/events/live', as('alice'));
    let bob: LiveReader | undefined;
    try {
      expectProblem(await request(test.url).get('/events/live').set(as('alice')), 429, TOO_MANY);
      bob = await LiveReader.open(test.url, '/events/live', as('bob'));
      expectProblem(await request(test.url).get('/events/live').set(as('bob')), 429, TOO_MANY);
    } finally {
      alice.close();
      bob?.close();
    }
  });
});
