import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { runAppExpectingExit } from './support/app-process';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const hs256 = (claims: object, options: jwt.SignOptions = {}, secret = SECRET) =>
  jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: 300, ...options });

interface Route {
  name: string;
  method: 'get' | 'post' | 'delete';
  path: () => string;
  role: string;
  body?: object;
}

describe('JWT authentication and roles', () => {
  let test: TestApp;
  let cartId: string;
  let orderId: string;
  const api = () => request(test.url);
  const bearer = (roles: string[], sub = 'alice') => `Bearer ${hs256({ sub, roles })}`;
  const all = ['read', 'carts:write', 'orders:write', 'admin'];

  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' });
    const opened = await api()
      .post('/carts')
      .set('Authorization', bearer(all))
      .send({ customerId: 'auth' })
      .expect(201);
    cartId = (opened.body as { cartId: string }).cartId;
    orderId = randomUUID();
  });
  afterAll(() => test.close());

  const routes: Route[] = [
    { name: 'POST /carts', method: 'post', path: () => '/carts', role: 'carts:write', body: { customerId: 'c' } },
    {
      name: 'POST /carts/{id}/items',
      method: 'post',
      path: () => `/carts/${cartId}/items`,
      role: 'carts:write',
      body: { productId: 'p', quantity: 1, unitPriceCents: 1 },
    },
    {
      name: 'DELETE /carts/{id}/items/p',
      method: 'delete',
      path: () => `/carts/${cartId}/items/p`,
      role: 'carts:write',
    },
    {
      name: 'POST /carts/{id}/checkout',
      method: 'post',
      path: () => `/carts/${randomUUID()}/checkout`,
      role: 'carts:write',
    },
    { name: 'GET /carts/{id}', method: 'get', path: () => `/carts/${cartId}`, role: 'read' },
    { name: 'GET /carts/{id}/events', method: 'get', path: () => `/carts/${cartId}/events`, role: 'read' },
    { name: 'GET /carts?customerId=auth', method: 'get', path: () => '/carts?customerId=auth', role: 'read' },
    {
      name: 'POST /orders/{id}/payments',
      method: 'post',
      path: () => `/orders/${orderId}/payments`,
      role: 'orders:write',
      body: { amountCents: 1 },
    },
    {
      name: 'POST /orders/{id}/shipment',
      method: 'post',
      path: () => `/orders/${orderId}/shipment`,
      role: 'orders:write',
    },
    {
      name: 'POST /orders/{id}/cancellation',
      method: 'post',
      path: () => `/orders/${orderId}/cancellation`,
      role: 'orders:write',
      body: { reason: 'r' },
    },
    { name: 'GET /orders/{id}', method: 'get', path: () => `/orders/${orderId}`, role: 'read' },
    { name: 'GET /orders/{id}/events', method: 'get', path: () => `/orders/${orderId}/events`, role: 'read' },
    { name: 'GET /orders?customerId=auth', method: 'get', path: () => '/orders?customerId=auth', role: 'read' },
    { name: 'GET /events?limit=1', method: 'get', path: () => '/events?limit=1', role: 'read' },
    { name: 'GET /streams', method: 'get', path: () => '/streams', role: 'read' },
    {
      name: 'GET /streams/{id}/events',
      method: 'get',
      path: () => `/streams/shopping-cart-${cartId}/events`,
      role: 'read',
    },
    { name: 'GET /subscriptions', method: 'get', path: () => '/subscriptions', role: 'admin' },
    {
      name: 'POST /subscriptions/cart-details/rebuild',
      method: 'post',
      path: () => '/subscriptions/cart-details/rebuild',
      role: 'admin',
    },
    {
      name: 'POST /subscriptions/checkout-saga/parked/1/retry',
      method: 'post',
      path: () => '/subscriptions/checkout-saga/parked/1/retry',
      role: 'admin',
    },
  ];
  const send = (route: Route, authorization?: string) => {
    let call = api()[route.method](route.path());
    if (authorization !== undefined) call = call.set('Authorization', authorization);
    return route.body === undefined ? call : call.send(route.body);
  };
  const expired = (role: string) =>
    jwt.sign({ sub: 'alice', roles: [role], exp: Math.floor(Date.now() / 1000) - 60 }, SECRET, { algorithm: 'HS256' });
  const tokens: [string, number, (route: Route) => string | undefined][] = [
    ['no token', 401, () => undefined],
    ['a malformed header', 401, () => 'Bearer not-a-jwt'],
    ['a bad signature', 401, (route) => `Bearer ${hs256({ sub: 'eve', roles: [route.role] }, {}, `${SECRET}-forged`)}`],
    ['an expired token', 401, (route) => `Bearer ${expired(route.role)}`],
    [
      'a token not valid yet',
      401,
      (route) => `Bearer ${hs256({ sub: 'alice', roles: [route.role] }, { notBefore: 3600 })}`,
    ],
    ['the wrong role', 403, (route) => bearer(all.filter((role) => role !== route.role))],
  ];

  for (const route of routes) {
    describe(route.name, () => {
      it.each(tokens)('with %s answers %i problem+json', async (_, status, token) => {
        const response = await send(route, token(route)).expect(status);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      });

      it(`with the ${route.role} role passes the guard`, async () => {
        const response = await send(route, bearer([route.role]));
        expect([401, 403, 429]).not.toContain(response.status);
        expect(response.status).toBeLessThan(500);
      });
    });
  }

  it('leaves /health the API docs and the event catalog open', async () => {
    await api().get('/health').expect(200);
    await api().get('/docs-json').expect(200);
    await api().get('/docs').expect(200);
    await api().get('/asyncapi.json').expect(200);
    await api().get('/asyncapi/assets/default.min.css').expect(200);
  });

  it('records the token subject as the actor of every event the request causes', async () => {
    const opened = await api()
      .post('/carts')
      .set('Authorization', bearer(all, 'carol'))
      .send({ customerId: 'c' })
      .expect(201);
    const { cartId: id } = opened.body as { cartId: string };
    await api()
      .post(`/carts/${id}/items`)
      .set('Authorization', bearer(all, 'dave'))
      .send({ productId: 'p', quantity: 1, unitPriceCents: 5 })
      .expect(200);
    const events = (
      await api()
        .get(`/carts/${id}/events`)
        .set('Authorization', bearer(['read']))
        .expect(200)
    ).body as { metadata: { actor?: string } }[];
    expect(events.map((event) => event.metadata.actor)).toEqual(['carol', 'dave']);
  });

  it('documents the bearer scheme and 401/403 on guarded routes', async () => {
    const document = (await api().get('/docs-json').expect(200)).body as {
      components: { securitySchemes: Record<string, { scheme: string }> };
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
    };
    expect(Object.values(document.components.securitySchemes)[0]).toMatchObject({ scheme: 'bearer' });
    const addItem = document.paths['/carts/{cartId}/items']!.post!;
    expect(Object.keys(addItem.responses)).toEqual(expect.arrayContaining(['401', '403']));
    expect(addItem.security).toBeDefined();
  });
});

describe('RS256 tokens with issuer and audience', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let test: TestApp;
  const sign = (options: jwt.SignOptions) =>
    `Bearer ${jwt.sign({ sub: 'rsa-user', roles: ['read'] }, privateKey.export({ type: 'pkcs8', format: 'pem' }), { algorithm: 'RS256', expiresIn: 300, ...options })}`;

  beforeAll(async () => {
    test = await startTestApp({
      AUTH_MODE: 'jwt',
      AUTH_JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      AUTH_JWT_ISSUER: 'https://issuer.test',
      AUTH_JWT_AUDIENCE: 'ledgerline',
    });
  });
  afterAll(() => test.close());

  it('accepts a token from the right issuer for the right audience, and refuses others', async () => {
    const get = (authorization: string) => request(test.url).get('/events?limit=1').set('Authorization', authorization);
    await get(sign({ issuer: 'https://issuer.test', audience: 'ledgerline' })).expect(200);
    await get(sign({ issuer: 'https://elsewhere.test', audience: 'ledgerline' })).expect(401);
    await get(sign({ issuer: 'https://issuer.test', audience: 'another-api' })).expect(401);
    // An HS256 token signed with the public key as its secret: the classic algorithm confusion.
    const confused = jwt.sign({ sub: 'x', roles: ['read'] }, 'not-the-key', {
      algorithm: 'HS256',
      issuer: 'https://issuer.test',
      audience: 'ledgerline',
    });
    await get(`Bearer ${confused}`).expect(401);
  });
});

describe.each([
  ['with TRUST_PROXY=loopback, counts each client by the address the proxy forwards', 'loopback', [401, 401, 429, 401]],
  ["without TRUST_PROXY, ignores X-Forwarded-For: it is the client's word", '', [401, 401, 429, 429]],
])('the rate limit behind a proxy', (title, trustProxy, expected) => {
  let test: TestApp;
  beforeAll(async () => {
    const env = { AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: trustProxy };
    test = await startTestApp(env);
  });
  afterAll(() => test.close());

  it(title, async () => {
    const statuses: number[] = [];
    for (const forwarded of ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2'])
      statuses.push((await request(test.url).get('/events?limit=1').set('X-Forwarded-For', forwarded)).status);
    expect(statuses).toEqual(expected);
  });
});

describe('rate limit, media types and security headers', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => test.close());
  const as = (sub: string) => `Bearer ${hs256({ sub, roles: ['read', 'carts:write'] })}`;

  it('answers a client over its limit with 429 and Retry-After, and counts clients apart', async () => {
    for (let n = 0; n < 5; n += 1)
      await request(test.url).get('/events?limit=1').set('Authorization', as('busy')).expect(200);
    const refused = await request(test.url).get('/events?limit=1').set('Authorization', as('busy')).expect(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await request(test.url).get('/events?limit=1').set('Authorization', as('calm')).expect(200);
    await request(test.url).get('/health').expect(200);
  });

  it('answers a command body that is not JSON with 415 problem+json', async () => {
    const response = await request(test.url)
      .post('/carts')
      .set('Authorization', as('typist'))
      .set('Content-Type', 'text/plain')
      .send('customerId=c')
      .expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('sends helmet security headers, with a policy the Swagger UI works under', async () => {
    const response = await request(test.url).get('/docs').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    for (const script of response.text.match(/<script[^>]*>/g) ?? []) expect(script).toMatch(/src=/);
  });
});

describe('starting without authentication', () => {
  it('is refused in production, naming AUTH_MODE', async () => {
    const { code, output } = await runAppExpectingExit({
      NODE_ENV: 'production',
      AUTH_MODE: 'off',
      DATABASE_PATH: ':memory:',
    });
    expect(code).toBe(1);
    expect(output).toContain('Invalid environment variable AUTH_MODE');
  });

  it('needs a key in jwt mode', async () => {
    const { code, output } = await runAppExpectingExit({ AUTH_MODE: 'jwt', DATABASE_PATH: ':memory:' });
    expect(code).toBe(1);
    expect(output).toContain('AUTH_JWT_SECRET');
  });
});
