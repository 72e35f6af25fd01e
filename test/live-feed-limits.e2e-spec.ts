import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { LiveReader } from './support/live-reader';
import { startTestApp, TestApp } from './support/test-app';

const TOO_MANY = 'urn:ledgerline:problem:too-many-live-streams';
const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const as = (sub: string) => ({
  Authorization: `Bearer ${jwt.sign({ sub, roles: ['read'] }, SECRET, { algorithm: 'HS256', expiresIn: 300 })}`,
});

/**
 * Asks for a live stream that must be refused as one too many: a 429 problem with Retry-After. A stream
 * that is accepted instead is closed at once, so the check fails rather than waits.
 */
async function expectRefused(url: string, headers: Record<string, string> = {}): Promise<void> {
  const controller = new AbortController();
  try {
    const response = await fetch(`${url}/events/live`, { headers, signal: controller.signal });
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toMatchObject({ type: TOO_MANY, status: 429, instance: '/events/live' });
  } finally {
    controller.abort();
  }
}

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
      await expectRefused(test.url);
      // Other requests of the same client are not affected.
      await request(test.url).get('/events?limit=1').expect(200);

      first.close();
      third = await openWithin(test.url, 5000);
      await expectRefused(test.url);
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
      await expectRefused(test.url, as('alice'));
      bob = await LiveReader.open(test.url, '/events/live', as('bob'));
      await expectRefused(test.url, as('bob'));
    } finally {
      alice.close();
      bob?.close();
    }
  });
});

describe('an idle live stream', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp({ SSE_HEARTBEAT_MS: '200' });
  });
  afterAll(() => test.close());

  it('sends a comment every SSE_HEARTBEAT_MS, and the next event after them', async () => {
    const controller = new AbortController();
    try {
      const response = await fetch(`${test.url}/events/live`, { signal: controller.signal });
      expect(response.status).toBe(200);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      const more = async () => {
        const { value, done } = await reader.read();
        if (done) throw new Error(`The stream ended after: ${JSON.stringify(text)}`);
        text += value;
      };
      let text = '';
      while ((text.match(/^: heartbeat\n\n/gm) ?? []).length < 2) await more();
      const opened = await request(test.url).post('/carts').send({ customerId: 'heartbeat' }).expect(201);
      const { position } = opened.body as { position: number };
      while (!text.includes(`id: ${position}\n`)) await more();
      // Comment lines only, each a block of its own, before the event: an SSE client ignores them.
      expect(text).toMatch(/^(: heartbeat\n\n)+id: /);
    } finally {
      controller.abort();
    }
  });
});
