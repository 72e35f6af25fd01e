import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { EventStore, NO_STREAM } from '../src/event-sourcing/event-store';
import { contactOf } from '../src/event-sourcing/testing/personal-data.fixture';
import { problemType } from '../src/http/problem-details';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'a-personal-data-test-secret-of-at-least-32-characters';
const bearer = (roles: string[], sub = 'dpo@example.com') =>
  `Bearer ${jwt.sign({ sub, roles }, SECRET, { algorithm: 'HS256', expiresIn: 300 })}`;
const PRIVACY = bearer(['privacy']);
const ADMIN = bearer(['admin'], 'root');

describe('personal data: export and erasure of a customer', () => {
  let test: TestApp;
  const api = () => request(test.url);
  const personalData = (customerId: string) => `/customers/${customerId}/personal-data`;

  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' });
    // The checkout's personal fields arrive with the domain; until then, a test event through the app's store.
    const events = test.app.get(EventStore);
    for (const customer of ['alice', 'bob', 'carol', 'dave']) {
      await events.append(`contact-${customer}`, NO_STREAM, [contactOf(customer), contactOf(customer, 'again')]);
    }
  });
  afterAll(() => test.close());

  it('exports every personal field held, decrypted, with where it is recorded', async () => {
    const response = await api().get(personalData('alice')).set('Authorization', PRIVACY).expect(200);
    const address = { street: 'alice Lane 7', city: 'Ghent' };
    expect(response.body).toEqual({
      customerId: 'alice',
      records: [1, 2].map((version) => ({
        streamId: 'contact-alice',
        version,
        position: expect.any(Number),
        type: 'personal-data-test.contact-recorded.v1',
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        fields: { email: 'alice@mail.example', address },
      })),
    });
  });

  it.each([
    ['no token', undefined, 401],
    ['a token without admin or privacy', bearer(['read', 'carts:write', 'orders:write']), 403],
  ])('refuses %s', async (_, token, status) => {
    for (const call of [api().get(personalData('alice')), api().delete(`${personalData('alice')}?reason=asked`)]) {
      const response = await (token === undefined ? call : call.set('Authorization', token));
      expectProblem(response, status);
    }
  });

  it.each([
    ['no reason', '', undefined],
    ['an empty reason', '?reason=', undefined],
    ['a reason of 501 characters', `?reason=${'x'.repeat(501)}`, undefined],
    ['a reason in the body that is no string', '', { reason: 42 }],
  ])('refuses an erasure with %s as a 400 problem', async (_, query, body) => {
    const call = api()
      .delete(`${personalData('alice')}${query}`)
      .set('Authorization', PRIVACY);
    expectProblem(await (body === undefined ? call : call.send(body)), 400, problemType('validation-failed'));
  });

  it('keeps the key when the erasure cannot be recorded: no erasure without its audit event', async () => {
    const append = jest.spyOn(test.app.get(EventStore), 'append').mockRejectedValueOnce(new Error('disk full'));
    try {
      const response = await api()
        .delete(`${personalData('dave')}?reason=asked`)
        .set('Authorization', PRIVACY);
      expect(response.status).toBe(500);
    } finally {
      append.mockRestore();
    }
    const exported = await api().get(personalData('dave')).set('Authorization', PRIVACY).expect(200);
    expect(JSON.stringify(exported.body)).toContain('dave@mail.example');
  });

  it('answers 404 for a customer of whom nothing is held', async () => {
    expectProblem(await api().get(personalData('nobody')).set('Authorization', PRIVACY), 404);
    expectProblem(
      await api()
        .delete(`${personalData('nobody')}?reason=asked`)
        .set('Authorization', PRIVACY),
      404,
    );
  });

  it('erases one customer: 202 with the audit event, then every read shows the fields erased, others untouched', async () => {
    const erased = await api()
      .delete(`${personalData('alice')}?reason=${encodeURIComponent('Erasure request, ticket 4711')}`)
      .set('Authorization', PRIVACY)
      .expect(202);
    expect(erased.body).toEqual({ customerId: 'alice', position: expect.any(Number) });

    const audit = await api()
      .get('/streams/customer-alice/events')
      .set('Authorization', bearer(['read']))
      .expect(200);
    expect(audit.body).toEqual([
      expect.objectContaining({
        position: (erased.body as { position: number }).position,
        type: 'customer.personal-data-erased.v1',
        data: { customerId: 'alice', reason: 'Erasure request, ticket 4711', erasedBy: 'dpo@example.com' },
      }),
    ]);
    const history = await api()
      .get('/streams/contact-alice/events')
      .set('Authorization', bearer(['read']))
      .expect(200);
    for (const event of history.body as { data: object }[]) {
      expect(event.data).toEqual({
        customerId: 'alice',
        note: expect.any(String),
        email: null,
        address: null,
        erased: true,
      });
    }
    expect(JSON.stringify(history.body)).not.toContain('ciphertext');

    expectProblem(await api().get(personalData('alice')).set('Authorization', PRIVACY), 404);
    expectProblem(
      await api()
        .delete(`${personalData('alice')}?reason=again`)
        .set('Authorization', ADMIN),
      404,
    );
    const bob = await api().get(personalData('bob')).set('Authorization', ADMIN).expect(200);
    expect((bob.body as { records: { fields: object }[] }).records[0]!.fields).toEqual({
      email: 'bob@mail.example',
      address: { street: 'bob Lane 7', city: 'Ghent' },
    });
    const integrity = await api().get('/admin/integrity?streamId=contact-alice').set('Authorization', ADMIN);
    expect(integrity.body).toMatchObject({ ok: true, eventsChecked: 2 });
  });

  it('takes the reason from a JSON body too', async () => {
    const erased = await api()
      .delete(personalData('carol'))
      .set('Authorization', ADMIN)
      .send({ reason: 'Account closed' })
      .expect(202);
    expect(erased.body).toEqual({ customerId: 'carol', position: expect.any(Number) });
    const audit = await api()
      .get('/streams/customer-carol/events')
      .set('Authorization', bearer(['read']))
      .expect(200);
    expect((audit.body as { data: object }[])[0]!.data).toEqual({
      customerId: 'carol',
      reason: 'Account closed',
      erasedBy: 'root',
    });
  });
});
