import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

/**
 * test/fixtures/pre-currency/pre-currency.sqlite was written by the release before carts had a currency
 * (commit a01591a), driven over HTTP by make-fixture.mjs in the same folder (its header has the commands);
 * expected.json holds what that release answered for it. Three carts (one open, one snapshotted at version
 * 5 with snapshot schema 1 and checked out, one empty), the order the saga placed, paid and shipped.
 * This release opens a copy, migrates it, and must read the old history as the new versions with EUR,
 * everywhere, without rewriting a stored row.
 */
const FIXTURE = join(process.cwd(), 'test', 'fixtures', 'pre-currency');
const UPCAST_TYPES: Record<string, string> = {
  'shopping-cart.opened.v1': 'shopping-cart.opened.v2',
  'shopping-cart.checked-out.v1': 'shopping-cart.checked-out.v3',
  'order.placed.v1': 'order.placed.v3',
};

interface EventBody {
  position: number;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
}
interface CartBody {
  cartId: string;
  version: number;
}
interface Expected {
  carts: { open: CartBody; checkedOut: CartBody; empty: CartBody };
  order: { orderId: string; version: number };
  customerCarts: object[];
  events: EventBody[];
}

const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
const inEuros = <T extends object>(view: T) => ({ ...view, currency: 'EUR' });
/** Checkouts and orders of then had no contact: they read as without one, not as erased. */
const NO_CONTACT = { email: null, shippingAddress: null };
const WITH_CONTACT = new Set(['shopping-cart.checked-out.v3', 'order.placed.v3']);
const orderInEuros = (order: object) => ({ ...inEuros(order), ...NO_CONTACT, erased: false });
/** An event as the old release served it, as this one must serve it: the new version, in euros. */
const upcast = (event: EventBody): EventBody => {
  const type = UPCAST_TYPES[event.type];
  if (type === undefined) return event;
  return { ...event, type, data: { ...event.data, currency: 'EUR', ...(WITH_CONTACT.has(type) && NO_CONTACT) } };
};

type StoredRow = { position: number; type: string; data: string; hash: string };
const storedRows = (path: string): StoredRow[] => {
  const database = new Database(path, { readonly: true });
  try {
    return database.prepare('SELECT position, type, data, hash FROM events ORDER BY position').all() as StoredRow[];
  } finally {
    database.close();
  }
};

describe('a database written before carts had a currency', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ledgerline-pre-currency-'));
  const databasePath = join(folder, 'ledgerline.sqlite');
  let before: StoredRow[];
  let test: TestApp;
  let head: number;
  const api = () => request(test.url);
  const { open, checkedOut, empty } = expected.carts;

  beforeAll(async () => {
    copyFileSync(join(FIXTURE, 'pre-currency.sqlite'), databasePath);
    before = storedRows(databasePath);
    // The snapshot interval makes loads consult the old snapshot, which must then be passed over.
    test = await startTestApp({ DATABASE_PATH: databasePath, SNAPSHOT_EVERY: 'shopping-cart:5' });
    head = expected.events.at(-1)!.position;
  });
  afterAll(async () => {
    await test.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('holds only the old event versions, as that release wrote them', () => {
    expect(new Set(before.map((row) => row.type))).toEqual(
      new Set([
        ...Object.keys(UPCAST_TYPES),
        'shopping-cart.item-added.v1',
        'shopping-cart.item-removed.v1',
        'order.paid.v1',
        'order.shipped.v1',
      ]),
    );
    expect(before.map((row) => row.position)).toEqual(expected.events.map((event) => event.position));
  });

  it('shows the same carts, lists and order as before, in euros', async () => {
    for (const cart of [open, checkedOut, empty]) {
      const now = await api().get(`/carts/${cart.cartId}`).query({ consistentWith: head }).expect(200);
      expect(now.body).toEqual(inEuros(cart));
    }
    const list = await api().get('/carts').query({ customerId: 'customer-fixture', consistentWith: head }).expect(200);
    expect(list.body).toEqual(expected.customerCarts.map(inEuros));
    const order = await api().get(`/orders/${expected.order.orderId}`).query({ consistentWith: head }).expect(200);
    expect(order.body).toEqual(orderInEuros(expected.order));
  });

  it('serves the old events as the new versions in the feed and each history', async () => {
    const feed = await api().get('/events').query({ after: 0, limit: 1000 }).expect(200);
    expect(feed.body).toEqual(expected.events.map(upcast));
    const history = await api().get(`/carts/${checkedOut.cartId}/events`).expect(200);
    expect(history.body).toEqual(
      expected.events.filter((event) => event.streamId === `shopping-cart-${checkedOut.cartId}`).map(upcast),
    );
  });

  it('rebuilds carts from their events, past the snapshot of the old schema, at any version', async () => {
    for (const version of [1, 5, 6, checkedOut.version]) {
      const past = await api().get(`/carts/${checkedOut.cartId}`).query({ atVersion: version }).expect(200);
      expect(past.body).toMatchObject({ currency: 'EUR', version });
    }
    const latest = await api().get(`/carts/${checkedOut.cartId}`).query({ atVersion: checkedOut.version }).expect(200);
    expect(latest.body).toEqual(inEuros(checkedOut));
    const order = await api().get(`/orders/${expected.order.orderId}`).query({ atVersion: 1 }).expect(200);
    expect(order.body).toMatchObject({ currency: 'EUR', status: 'placed', ...NO_CONTACT, erased: false });
  });

  it('rebuilds every read model from position 0 to the same rows', async () => {
    for (const name of ['cart-details', 'customer-carts', 'order-details']) {
      await api().post(`/subscriptions/${name}/rebuild`).expect(202);
    }
    for (const cart of [open, checkedOut, empty]) {
      const now = await api().get(`/carts/${cart.cartId}`).query({ consistentWith: head }).expect(200);
      expect(now.body).toEqual(inEuros(cart));
    }
    const list = await api().get('/carts').query({ customerId: 'customer-fixture', consistentWith: head }).expect(200);
    expect(list.body).toEqual(expected.customerCarts.map(inEuros));
    const order = await api().get(`/orders/${expected.order.orderId}`).query({ consistentWith: head }).expect(200);
    expect(order.body).toEqual(orderInEuros(expected.order));
  });

  it('takes commands on old carts: the old checkout still holds, and new snapshots have the new schema', async () => {
    const refused = await api().post(`/carts/${checkedOut.cartId}/items`).send({ productId: 'x', quantity: 1 });
    expect(refused.status).toBe(422);
    const added = await api()
      .post(`/carts/${open.cartId}/items`)
      .send({ productId: 'hat', quantity: 1, unitPriceCents: 1500 })
      .expect(200);
    expect(added.body).toMatchObject({ version: open.version + 1 });
    const snapshots = await test.dataSource.query<{ version: number; schemaVersion: number; state: string }[]>(
      'SELECT version, schema_version AS "schemaVersion", state FROM snapshots WHERE stream_id = ?',
      [`shopping-cart-${open.cartId}`],
    );
    expect(snapshots).toEqual([{ version: 5, schemaVersion: 2, state: expect.stringContaining('"currency":"EUR"') }]);
  });

  it('keeps every stored event as it was, so the hash chains stay intact', async () => {
    // The whole log is checked as a background job: start it, then poll where the 202 said.
    const location = (await api().post('/admin/integrity/checks').expect(202)).headers.location!;
    const check = await eventually(async () => {
      const body = (await api().get(location).expect(200)).body as { status: string; report: unknown };
      return body.status === 'running' ? undefined : body;
    }, 'the integrity check to finish');
    expect(check).toMatchObject({ status: 'done', report: { ok: true, firstBroken: null } });
    const after = storedRows(databasePath);
    expect(after.slice(0, before.length)).toEqual(before);
  });
});
