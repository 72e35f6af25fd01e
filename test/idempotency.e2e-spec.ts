import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { EventStore } from '../src/event-sourcing/event-store';
import { causedBy } from '../src/event-sourcing/subscriptions/saga';
import { SubscriptionRunner } from '../src/event-sourcing/subscriptions/subscription-runner';
import { CHECKOUT_SAGA } from '../src/orders/sagas/checkout.saga';
import { startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/eventually';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const ALL_ROLES = ['read', 'carts:write', 'orders:write', 'admin'];

type CommandBody = { cartId: string; version: number; position: number };
type EventBody = { metadata: { actor?: string } };

describe('Idempotency-Key scoped to the caller', () => {
  let test: TestApp;
  const as = (sub: string) => `Bearer ${jwt.sign({ sub, roles: ALL_ROLES }, SECRET, { expiresIn: 300 })}`;
  const openCart = (sub: string, key: string, customerId: string) =>
    request(test.url).post('/carts').set('Authorization', as(sub)).set('Idempotency-Key', key).send({ customerId });

  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => test.close());

  it("never answers one caller's request with another caller's result under the same key", async () => {
    const key = randomUUID();
    const mallory = await openCart('mallory', key, 'alice-customer').expect(201);
    const alice = await openCart('alice', key, 'alice-customer').expect(201);
    const malloryCart = (mallory.body as CommandBody).cartId;
    const aliceCart = (alice.body as CommandBody).cartId;
    expect(aliceCart).not.toBe(malloryCart);
    const events = await request(test.url).get(`/carts/${aliceCart}/events`).set('Authorization', as('alice'));
    expect((events.body as EventBody[]).map((event) => event.metadata.actor)).toEqual(['alice']);
    // Each caller still gets their own first result back.
    expect((await openCart('mallory', key, 'alice-customer').expect(201)).body).toEqual(mallory.body);
    expect((await openCart('alice', key, 'alice-customer').expect(201)).body).toEqual(alice.body);
  });

  it("does not refuse a caller's request because another caller used the key for something else", async () => {
    const key = randomUUID();
    await openCart('mallory', key, 'mallory-customer').expect(201);
    await openCart('alice', key, 'alice-customer').expect(201);
  });
});

describe('keys of saga commands', () => {
  let test: TestApp;
  const api = () => request(test.url);

  beforeAll(async () => {
    test = await startTestApp({ PAUSED_SUBSCRIPTIONS: CHECKOUT_SAGA, SAGA_ATTEMPTS: '2', SAGA_BACKOFF_MS: '10' });
  });
  afterAll(() => test.close());

  it('cannot be claimed by a client to block the order of a checkout', async () => {
    const { cartId } = (await api().post('/carts').send({ customerId: 'victim' }).expect(201)).body as CommandBody;
    await api().post(`/carts/${cartId}/items`).send({ productId: 'shoes', quantity: 1, unitPriceCents: 999 });
    await api().post(`/carts/${cartId}/checkout`).expect(200);
    const [, , checkedOut] = await test.app.get(EventStore).readStream(`shopping-cart-${cartId}`);
    // The saga is paused: the attacker reads the checkout event and sends the key the saga will use.
    const sagaKey = causedBy(CHECKOUT_SAGA, checkedOut!).idempotency!.key;
    await api().post('/carts').set('Idempotency-Key', sagaKey).send({ customerId: 'attacker' }).expect(201);

    test.app.get(SubscriptionRunner).resume(CHECKOUT_SAGA);
    const orders = await eventually(async () => {
      const response = await api().get(`/orders?cartId=${cartId}`).expect(200);
      return (response.body as unknown[]).length > 0 ? (response.body as unknown[]) : undefined;
    }, 'the order of the checked-out cart');
    expect(orders).toEqual([expect.objectContaining({ cartId, customerId: 'victim', totalCents: 999 })]);
    const subscriptions = await api().get('/subscriptions').expect(200);
    const saga = (subscriptions.body as { name: string; parked: unknown[] }[]).find((s) => s.name === CHECKOUT_SAGA);
    expect(saga?.parked).toEqual([]);
  });
});
