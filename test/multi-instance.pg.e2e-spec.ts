import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { IsolatedDatabase, isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { AppProcess, startAppProcess } from './support/app-process';
import { TcpProxy } from './support/tcp-proxy';
import { eventually } from './support/eventually';

interface Ack {
  cartId: string;
  version: number;
  position: number;
}
interface SubscriptionView {
  name: string;
  checkpoint: number;
  leader: boolean;
}

async function call(url: string, method: string, path: string, body?: object) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text === '' ? null : JSON.parse(text)) as unknown,
  };
}

/** Across outages and failovers a probe may reach an instance that is down: that counts as "not yet". */
function untilAnswered<T>(probe: () => Promise<T | undefined>, what: string, withinMs = 20_000): Promise<T> {
  return eventually(() => probe().catch(() => undefined), what, withinMs, 100);
}

/** Every cart on `url`, caught up to `position`, equals the replay of its events. */
async function expectReadModelsMatchReplay(url: string, carts: string[], position: number): Promise<void> {
  for (const cartId of carts) {
    const projected = await call(url, 'GET', `/carts/${cartId}?consistentWith=${position}`);
    expect(projected.status).toBe(200);
    const events = (await call(url, 'GET', `/carts/${cartId}/events`)).json as unknown[];
    const replayed = await call(url, 'GET', `/carts/${cartId}?atVersion=${events.length}`);
    expect(projected.json).toEqual(replayed.json);
  }
}

describe('several instances on one PostgreSQL database', () => {
  const databases: IsolatedDatabase[] = [];
  const apps: AppProcess[] = [];
  const proxies: TcpProxy[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startAppProcess(env);
    apps.push(app);
    return app;
  };
  const database = () => {
    const created = isolatedDatabase();
    databases.push(created);
    return created.env;
  };
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.kill();
    for (const proxy of proxies.splice(0)) await proxy.cut();
  });
  afterAll(async () => {
    for (const created of databases) await created.drop();
  });

  it('decide every command on the state the other instance wrote, never on a remembered copy', async () => {
    const [a, b] = await (async (env) => Promise.all([start(env), start(env)]))(database());
    for (let round = 0; round < 3; round += 1) {
      const opened = (await call(a.url, 'POST', '/carts', { customerId: `alternating-${round}` })).json as Ack;
      const cart = `/carts/${opened.cartId}`;
      // Each step is only valid because of the other instance's write just before it.
      expect(
        (await call(b.url, 'POST', `${cart}/items`, { productId: 'socks', quantity: 3, unitPriceCents: 250 })).status,
      ).toBe(200);
      expect((await call(a.url, 'DELETE', `${cart}/items/socks?quantity=1`)).status).toBe(200);
      expect((await call(b.url, 'DELETE', `${cart}/items/socks?quantity=2`)).status).toBe(200);
      expect(
        (await call(a.url, 'POST', `${cart}/items`, { productId: 'shoes', quantity: 1, unitPriceCents: 4999 })).status,
      ).toBe(200);
      const checkedOut = await call(b.url, 'POST', `${cart}/checkout`);
      expect(checkedOut.status).toBe(200);
      // And a refusal that is true of the stored state still reaches the client from the stale instance.
      const late = await call(a.url, 'POST', `${cart}/items`, { productId: 'hat', quantity: 1, unitPriceCents: 100 });
      expect(late).toMatchObject({ status: 422, json: { type: 'urn:ledgerline:problem:cart-already-checked-out' } });
    }
  });

  it('race safely on the same carts, place each order once, and agree with a replay', async () => {
    const env = database();
    // Started together on an empty schema: only one may run the migrations.
    const [a, b] = await Promise.all([start(env), start(env)]);
    const carts: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const opened = await call(i % 2 === 0 ? a.url : b.url, 'POST', '/carts', { customerId: `multi-${i}` });
      expect(opened.status).toBe(201);
      carts.push((opened.json as Ack).cartId);
    }
    const acknowledged: Ack[] = [];
    const quantities = new Map<string, number>();
    await Promise.all(
      carts.flatMap((cartId) =>
        [a, b].map(async (app, side) => {
          for (let n = 0; n < 15; n += 1) {
            const added = await call(app.url, 'POST', `/carts/${cartId}/items`, {
              productId: `p-${side}`,
              quantity: 1,
              unitPriceCents: 100,
            });
            expect([200, 409]).toContain(added.status);
            if (added.status === 200) {
              acknowledged.push(added.json as Ack);
              quantities.set(cartId, (quantities.get(cartId) ?? 0) + 1);
            }
          }
        }),
      ),
    );
    // Both instances check out every cart at once: exactly one of each pair wins.
    const checkouts = await Promise.all(
      carts.flatMap((cartId) => [a, b].map((app) => call(app.url, 'POST', `/carts/${cartId}/checkout`))),
    );
    expect(checkouts.filter((checkout) => checkout.status === 200)).toHaveLength(carts.length);
    expect(checkouts.filter((checkout) => checkout.status === 422)).toHaveLength(carts.length);
    const head = Math.max(...checkouts.filter((c) => c.status === 200).map((c) => (c.json as Ack).position));

    for (const cartId of carts) {
      const cart = (await call(a.url, 'GET', `/carts/${cartId}?consistentWith=${head}`)).json as {
        items: { quantity: number }[];
      };
      expect(cart.items.reduce((sum, item) => sum + item.quantity, 0)).toBe(quantities.get(cartId));
    }
    await expectReadModelsMatchReplay(a.url, carts, head);
    await expectReadModelsMatchReplay(b.url, carts, head);
    for (const cartId of carts) {
      const orders = await untilAnswered(async () => {
        const listed = (await call(b.url, 'GET', `/orders?cartId=${cartId}`)).json as unknown[];
        return listed.length > 0 ? listed : undefined;
      }, `the order of ${cartId}`);
      expect(orders).toHaveLength(1);
    }
    const feed = (await call(a.url, 'GET', '/events?limit=1000')).json as { type: string }[];
    expect(feed.filter((event) => event.type === 'order.placed.v3')).toHaveLength(carts.length);

    // Each subscription is processed by exactly one of the two.
    const [onA, onB] = await Promise.all(
      [a, b].map(async (app) => (await call(app.url, 'GET', '/subscriptions')).json as SubscriptionView[]),
    );
    for (const subscription of onA!) {
      const other = onB!.find((candidate) => candidate.name === subscription.name)!;
      expect([subscription.leader, other.leader].filter(Boolean)).toHaveLength(1);
    }
  });

  it('hand a dead instance’s subscriptions to the survivor, which catches up', async () => {
    const env = database();
    const first = await start(env);
    const opened = await call(first.url, 'POST', '/carts', { customerId: 'failover' });
    const cartId = (opened.json as Ack).cartId;
    await untilAnswered(async () => {
      const subscriptions = (await call(first.url, 'GET', '/subscriptions')).json as SubscriptionView[];
      return subscriptions.every((subscription) => subscription.leader) ? true : undefined;
    }, 'the first instance to lead');
    const second = await start(env);
    await first.kill();

    let position = 0;
    for (let n = 0; n < 5; n += 1) {
      const added = await call(second.url, 'POST', `/carts/${cartId}/items`, {
        productId: 'shoes',
        quantity: 1,
        unitPriceCents: 999,
      });
      expect(added.status).toBe(200);
      position = (added.json as Ack).position;
    }
    const cart = await untilAnswered(async () => {
      const read = await call(second.url, 'GET', `/carts/${cartId}?consistentWith=${position}`);
      return read.status === 200 ? (read.json as { items: { quantity: number }[] }) : undefined;
    }, 'the survivor to catch up');
    expect(cart.items[0]?.quantity).toBe(5);
    const subscriptions = (await call(second.url, 'GET', '/subscriptions')).json as SubscriptionView[];
    expect(subscriptions.every((subscription) => subscription.leader)).toBe(true);
  });

  it('answer 503 while the database is unreachable and recover by themselves', async () => {
    const env = database();
    const target = new URL(env.DATABASE_URL!);
    const proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    proxies.push(proxy);
    target.port = String(proxy.port);
    const app = await start({ ...env, DATABASE_URL: target.toString(), DATABASE_POOL_SIZE: '4' });
    const cartId = ((await call(app.url, 'POST', '/carts', { customerId: 'outage' })).json as Ack).cartId;

    await proxy.cut();
    const during = await call(app.url, 'POST', `/carts/${cartId}/items`, {
      productId: 'shoes',
      quantity: 1,
      unitPriceCents: 100,
    });
    expect(during.status).toBe(503);
    expect(during.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(during.headers.get('retry-after')).toBe('1');
    expect((await call(app.url, 'GET', '/health')).status).toBe(503);

    await proxy.start();
    const recovered = await untilAnswered(async () => {
      const added = await call(app.url, 'POST', `/carts/${cartId}/items`, {
        productId: 'shoes',
        quantity: 1,
        unitPriceCents: 100,
      });
      return added.status === 200 ? (added.json as Ack) : undefined;
    }, 'commands to succeed again');
    expect((await call(app.url, 'GET', '/health')).status).toBe(200);
    const cart = await call(app.url, 'GET', `/carts/${cartId}?consistentWith=${recovered.position}`);
    expect(cart.status).toBe(200);
    // The refused command left nothing behind.
    expect(((await call(app.url, 'GET', `/carts/${cartId}/events`)).json as unknown[]).length).toBe(2);
  });
});
