import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { WalScrubber } from '../src/event-sourcing/personal-data/wal-scrubber';
import { testEngine } from '../src/event-sourcing/testing/test-database';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

const runFile = promisify(execFile);

interface Subject {
  customerId: string;
  email: string;
  street: string;
  cartId: string;
  orderId: string;
}
interface OrderBody {
  orderId: string;
  email: string | null;
  shippingAddress: Record<string, string> | null;
  erased: boolean;
}
interface EventBody {
  type: string;
  data: Record<string, unknown>;
}
interface Check {
  status: string;
  report: { ok: boolean } | null;
}

/** Every byte the database holds for the test, as text: the SQLite file and its WAL, or a dump of the schema. */
async function databaseText(test: TestApp): Promise<string> {
  if (testEngine() === 'sqlite') {
    const file = test.databasePath!;
    const parts = [file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path));
    return Buffer.concat(parts).toString('latin1');
  }
  const schema = test.database.env.DATABASE_SCHEMA!;
  const dump = await runFile('pg_dump', ['--schema', schema, process.env.TEST_DATABASE_URL!], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return dump.stdout;
}

/**
 * The proof the issue asks for: after an erasure the subject's e-mail and street occur nowhere in the
 * database, another customer's still do, the hash chain verifies, and a rebuild of every projection from
 * position 0 shows the erased fields as erased.
 */
describe("erasing a customer's personal data (crypto-shredding)", () => {
  let test: TestApp;
  let alice: Subject;
  let bob: Subject;
  let erasedAt: number;
  const api = () => request(test.url);

  const orderOf = async (orderId: string, consistentWith: number): Promise<OrderBody> =>
    (await api().get(`/orders/${orderId}`).query({ consistentWith }).expect(200)).body as OrderBody;

  async function checkOut(customerId: string, tag: string): Promise<Subject> {
    const email = `${tag}-${randomUUID()}@example.com`;
    const street = `${randomUUID()} Shredding Street`;
    const { cartId } = (await api().post('/carts').send({ customerId }).expect(201)).body as { cartId: string };
    await api()
      .post(`/carts/${cartId}/items`)
      .send({ productId: 'running-shoes', quantity: 1, unitPriceCents: 4999 })
      .expect(200);
    const address = { name: `${tag} Example`, line1: street, postalCode: '10115', city: 'Berlin', country: 'DE' };
    await api().post(`/carts/${cartId}/checkout`).send({ email, shippingAddress: address }).expect(200);
    const orderId = await eventually(async () => {
      const [order] = (await api().get('/orders').query({ cartId }).expect(200)).body as OrderBody[];
      return order?.orderId;
    }, `the order of ${tag}'s checkout`);
    return { customerId, email, street, cartId, orderId };
  }

  async function headPosition(): Promise<number> {
    const [first] = (await api().get('/subscriptions').expect(200)).body as { headPosition: number }[];
    return first!.headPosition;
  }

  beforeAll(async () => {
    test = await startTestApp();
    alice = await checkOut(`alice-${randomUUID()}`, 'alice');
    bob = await checkOut(`bob-${randomUUID()}`, 'bob');
  });
  afterAll(() => test?.close());

  it('stores the personal fields encrypted: the event log holds no plaintext, reads show it', async () => {
    const rows = await test.dataSource.query<{ data: unknown }[]>('SELECT data FROM events');
    const log = rows.map((row) => (typeof row.data === 'string' ? row.data : JSON.stringify(row.data))).join('\n');
    expect(log).not.toContain(alice.email);
    expect(log).not.toContain(alice.street);
    const order = await orderOf(alice.orderId, await headPosition());
    expect(order).toMatchObject({ email: alice.email, erased: false });
    expect(order.shippingAddress).toMatchObject({ line1: alice.street, country: 'DE' });
    const exported = await api().get(`/customers/${alice.customerId}/personal-data`).expect(200);
    expect(JSON.stringify(exported.body)).toContain(alice.email);
  });

  it('erases on request: 202 with the position of the erasure event, then 404 for a repeat', async () => {
    const erased = await api()
      .delete(`/customers/${alice.customerId}/personal-data`)
      .query({ reason: 'Customer asked by e-mail' })
      .expect(202);
    erasedAt = (erased.body as { position: number }).position;
    expect(erased.body).toEqual({ customerId: alice.customerId, position: erasedAt });
    const events = (await api().get(`/streams/customer-${alice.customerId}/events`).expect(200)).body as EventBody[];
    expect(events.map((event) => [event.type, event.data])).toEqual([
      [
        'customer.personal-data-erased.v1',
        { customerId: alice.customerId, reason: 'Customer asked by e-mail', erasedBy: 'anonymous' },
      ],
    ]);
    await api().delete(`/customers/${alice.customerId}/personal-data`).query({ reason: 'again' }).expect(404);
    await api().get(`/customers/${alice.customerId}/personal-data`).expect(404);
  });

  it('shows the erased fields as null with erased: true on every read, and leaves the other customer alone', async () => {
    const order = await orderOf(alice.orderId, erasedAt);
    expect(order).toMatchObject({ email: null, shippingAddress: null, erased: true });
    const atVersion = (await api().get(`/orders/${alice.orderId}`).query({ atVersion: 1 }).expect(200))
      .body as OrderBody;
    expect(atVersion).toMatchObject({ email: null, shippingAddress: null, erased: true });
    const events = (await api().get(`/carts/${alice.cartId}/events`).expect(200)).body as EventBody[];
    const checkedOut = events.find((event) => event.type.startsWith('shopping-cart.checked-out.'));
    expect(checkedOut?.data).toMatchObject({ email: null, shippingAddress: null, erased: true });
    expect(JSON.stringify(events)).not.toContain('ciphertext');

    const other = await orderOf(bob.orderId, erasedAt);
    expect(other).toMatchObject({ email: bob.email, erased: false });
    await api().get(`/customers/${bob.customerId}/personal-data`).expect(200);
  });

  it("leaves the subject's e-mail and street nowhere in the database files, and the other customer's there", async () => {
    // On SQLite the WAL is truncated once every subscription has handled the erasure; this waits for that
    // job (queued behind the erasure's own).
    await test.app.get(WalScrubber).scrubAfter(erasedAt);
    const text = await databaseText(test);
    expect(text).not.toContain(alice.email);
    expect(text).not.toContain(alice.street);
    expect(text).toContain(bob.email);
    expect(text).toContain(bob.street);
  });

  it('still verifies the whole hash chain', async () => {
    const started = await api().post('/admin/integrity/checks').expect(202);
    const location = started.headers.location!;
    const check = await eventually(async () => {
      const polled = (await api().get(location).expect(200)).body as Check;
      return polled.status === 'running' || polled.status === 'pending' ? undefined : polled;
    }, 'the integrity check');
    expect(check.report?.ok).toBe(true);
  });

  it('shows the erased fields as erased after a rebuild of every projection from position 0', async () => {
    const subscriptions = (await api().get('/subscriptions').expect(200)).body as { name: string; kind: string }[];
    const projections = subscriptions.filter((subscription) => subscription.kind === 'projection');
    expect(projections.length).toBeGreaterThan(0);
    for (const { name } of projections) await api().post(`/subscriptions/${name}/rebuild`).expect(202);
    const head = await headPosition();
    expect(await orderOf(alice.orderId, head)).toMatchObject({ email: null, shippingAddress: null, erased: true });
    expect(await orderOf(bob.orderId, head)).toMatchObject({ email: bob.email, erased: false });
    await test.app.get(WalScrubber).scrubAfter(head);
    const text = await databaseText(test);
    expect(text).not.toContain(alice.email);
    expect(text).not.toContain(alice.street);
  });

  it('gives the same customer a new key for a new checkout after the erasure', async () => {
    const again = await checkOut(alice.customerId, 'alice-again');
    const order = await orderOf(again.orderId, await headPosition());
    expect(order).toMatchObject({ email: again.email, erased: false });
    const exported = JSON.stringify((await api().get(`/customers/${alice.customerId}/personal-data`).expect(200)).body);
    expect(exported).toContain(again.email);
    expect(exported).not.toContain(alice.email);
    expect(await orderOf(alice.orderId, await headPosition())).toMatchObject({ email: null, erased: true });
  });
});
