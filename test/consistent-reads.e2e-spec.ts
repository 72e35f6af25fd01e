import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

type CommandBody = { cartId: string; version: number; position: number };

let customerCounter = 0;
const newCustomer = () => `consistent-${process.pid}-${++customerCounter}`;

describe('consistent reads when the read model cannot catch up', () => {
  let test: TestApp;

  beforeAll(async () => {
    // Both cart read models held by the operator switch: they stay behind whatever is written.
    test = await startTestApp({ CONSISTENCY_WAIT_MS: '300', PAUSED_SUBSCRIPTIONS: 'cart-details,customer-carts' });
  });
  afterAll(() => test.close());

  it('answers a position the read model has not reached with 503 and Retry-After', async () => {
    const customerId = newCustomer();
    const opened = (await request(test.url).post('/carts').send({ customerId }).expect(201)).body as CommandBody;
    for (const response of [
      await request(test.url).get(`/carts/${opened.cartId}`).query({ consistentWith: opened.position }),
      await request(test.url).get('/carts').query({ customerId, consistentWith: opened.position }),
    ]) {
      expectProblem(response, 503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
    }
  });

  it('answers a position nothing has been written at with 400, at once', async () => {
    const customerId = newCustomer();
    const opened = (await request(test.url).post('/carts').send({ customerId }).expect(201)).body as CommandBody;
    const farFuture = opened.position + 1_000_000_000;
    for (const response of [
      await request(test.url).get(`/carts/${opened.cartId}`).query({ consistentWith: farFuture }),
      await request(test.url).get('/carts').query({ customerId, consistentWith: farFuture }),
    ]) {
      expectProblem(response, 400);
    }
  });
});
