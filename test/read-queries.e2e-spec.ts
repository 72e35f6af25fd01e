import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const VALIDATION = 'urn:ledgerline:problem:validation-failed';

// GET by id skips the DTO's validation work on an empty query (@ReadQuery): every other query must still
// be judged by the DTO, with the same problems as any other query parameter of the API.
describe('the query string of a read by id', () => {
  let test: TestApp;
  let cartPath: string;

  beforeAll(async () => {
    test = await startTestApp();
    const opened = await request(test.url).post('/carts').send({ customerId: 'read-queries' }).expect(201);
    const { cartId, position } = opened.body as { cartId: string; position: number };
    cartPath = `/carts/${cartId}`;
    // Reads are eventually consistent: the plain reads below need the read model to have the cart.
    await request(test.url).get(cartPath).query({ consistentWith: position }).expect(200);
  });
  afterAll(() => test.close());

  it('answers an empty query, again and again, with the read', async () => {
    for (const suffix of ['', '?', '', '?']) {
      const response = await request(test.url).get(`${cartPath}${suffix}`).expect(200);
      expect(response.body).toMatchObject({ customerId: 'read-queries', version: 1 });
      expect(response.headers.etag).toBe('"1"');
    }
    expectProblem(await request(test.url).get(`/orders/${randomUUID()}`), 404);
  });

  it('refuses a bad consistentWith or atVersion, or an unknown parameter, with 400 naming it', async () => {
    const cases: [string, string][] = [
      ['consistentWith=abc', 'consistentWith'],
      ['consistentWith=-1', 'consistentWith'],
      ['consistentWith=1.5', 'consistentWith'],
      ['consistentWith=1&consistentWith=2', 'consistentWith'],
      ['consistentWith=%00', 'consistentWith'],
      ['atVersion=0', 'atVersion'],
      ['atVersion=2147483648', 'atVersion'],
      ['foo=1', 'foo'],
      ['__proto__=1', '__proto__'],
    ];
    for (const path of [cartPath, `/orders/${randomUUID()}`]) {
      for (const [query, field] of cases) {
        const response = await request(test.url).get(`${path}?${query}`);
        expectProblem(response, 400, VALIDATION);
        expect((response.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual([field]);
      }
    }
  });
});
