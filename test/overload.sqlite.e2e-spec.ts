import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

/** Another process holds SQLite's write lock for longer than the service's busy timeout. */
describe('a database locked by another connection', () => {
  let test: TestApp;
  let cartId: string;
  beforeAll(async () => {
    test = await startTestApp({ DATABASE_BUSY_TIMEOUT_MS: '200' });
    cartId = (
      (await request(test.url).post('/carts').send({ customerId: 'busy' }).expect(201)).body as { cartId: string }
    ).cartId;
  });
  afterAll(() => test.close());

  const add = () =>
    request(test.url).post(`/carts/${cartId}/items`).send({ productId: 'p', quantity: 1, unitPriceCents: 5 });
  const events = async () =>
    ((await request(test.url).get(`/carts/${cartId}/events`).expect(200)).body as unknown[]).length;

  it('answers commands with 503 and Retry-After, writes nothing, and recovers once the lock is gone', async () => {
    const intruder = new Database(test.databasePath);
    intruder.pragma('busy_timeout = 0');
    intruder.exec('BEGIN IMMEDIATE');
    try {
      const refused = await Promise.all([add(), add(), add()]);
      for (const response of refused) {
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['retry-after']).toBe('1');
        expect(response.body).toMatchObject({ type: 'urn:ledgerline:problem:database-unavailable' });
      }
      // Reads are not blocked by a writer in WAL mode.
      expect(await events()).toBe(1);
    } finally {
      intruder.exec('ROLLBACK');
      intruder.close();
    }
    const accepted = await add().expect(200);
    expect(await events()).toBe(2);
    const { position } = accepted.body as { position: number };
    await request(test.url).get(`/carts/${cartId}?consistentWith=${position}`).expect(200);
  });
});
