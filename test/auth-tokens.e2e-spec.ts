import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const UNAUTHENTICATED = 'urn:ledgerline:problem:unauthenticated';
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: object) => jwt.sign({ sub: 'alice', roles: ['read'], ...claims }, SECRET, { algorithm: 'HS256' });
const base64url = (text: string) => Buffer.from(text).toString('base64url');
const HEADER = base64url('{"alg":"HS256","typ":"JWT"}');
/** A correctly signed token whose payload segment is `payload` as written: only its content is wrong. */
const withRawPayload = (payload: string) => {
  const unsigned = `${HEADER}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
};

/** Token edge cases: content that used to crash the challenge header, lifetimes, casing and duplicates. */
describe('bearer tokens at the edges', () => {
  let test: TestApp;
  const get = (authorization: string) => request(test.url).get('/events?limit=1').set('Authorization', authorization);

  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => test.close());

  it.each([
    ['a payload that is not JSON', 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.4piDew.AAAA'],
    ['a signed payload that is not JSON', `Bearer ${withRawPayload('{"sub":')}`],
    ['a payload with CR LF', `Bearer ${withRawPayload('{"sub":"a\r\nSet-Cookie: x=1"')}`],
    ['a CR LF payload, unsigned', `Bearer ${HEADER}.${base64url('\r\nX: y')}.AAAA`],
  ])('answers %s with 401 and a fixed challenge', async (_, authorization) => {
    const response = await get(authorization);
    expectProblem(response, 401, UNAUTHENTICATED);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="ledgerline", error="invalid_token", error_description="The token was refused"',
    );
  });

  it('takes the scheme name in any case', async () => {
    const token = sign({ exp: now() + 300 });
    for (const scheme of ['bearer', 'BEARER', 'Bearer', 'bEaReR']) await get(`${scheme} ${token}`).expect(200);
  });

  it('requires exp, and refuses lifetimes over AUTH_MAX_TOKEN_LIFETIME_S (one day by default)', async () => {
    for (const claims of [{}, { exp: 1e300 }, { iat: now(), exp: now() + 86_400 + 60 }, { exp: now() + 2 * 86_400 }])
      expectProblem(await get(`Bearer ${sign(claims)}`), 401, UNAUTHENTICATED);
    // Lifetime runs from iat when given: issued an hour ago for a day is within the limit.
    await get(`Bearer ${sign({ iat: now() - 3600, exp: now() + 86_400 - 3600 })}`).expect(200);
    await get(`Bearer ${sign({ exp: now() + 86_400 - 60 })}`).expect(200);
  });

  it('answers two Authorization headers with 400', async () => {
    const token = `Bearer ${sign({ exp: now() + 300 })}`;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`${test.url}/events?limit=1`);
      const call = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          headers: { Authorization: [token, token] },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      call.on('error', reject);
      call.end();
    });
    expect(status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ type: 'urn:ledgerline:problem:duplicate-authorization', status: 400 });
  });
});

describe('the rate limit before authentication', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '20' });
  });
  afterAll(() => test.close());

  it('counts requests with bad tokens by address, and refuses them past the limit', async () => {
    const forged = jwt.sign({ sub: 'eve', roles: ['read'] }, `${SECRET}-forged`, {
      algorithm: 'HS256',
      expiresIn: 300,
    });
    const statuses: number[] = [];
    for (let n = 0; n < 50; n += 1)
      statuses.push((await request(test.url).get('/events?limit=1').set('Authorization', `Bearer ${forged}`)).status);
    expect(statuses.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 401));
    expect(statuses.slice(20)).toEqual(Array.from({ length: 30 }, () => 429));
    const refused = await request(test.url).post('/carts').send({ customerId: 'c' });
    expectProblem(refused, 429, 'urn:ledgerline:problem:rate-limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
