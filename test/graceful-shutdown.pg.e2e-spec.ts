import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { IsolatedDatabase, isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { AppProcess, startAppProcess } from './support/app-process';
import { eventually } from './support/eventually';

const SUBSCRIPTIONS = ['cart-details', 'customer-carts', 'order-details', 'checkout-saga'];

/** The subscriptions the instance at `url` leads, as it reports them. */
async function led(url: string): Promise<string[]> {
  const listed = (await (await fetch(`${url}/subscriptions`)).json()) as { name: string; leader: boolean }[];
  return listed
    .filter(({ leader }) => leader)
    .map(({ name }) => name)
    .sort();
}

describe('shutting down one of several instances on PostgreSQL', () => {
  const apps: AppProcess[] = [];
  let database: IsolatedDatabase;
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.kill();
  });
  afterAll(() => database.drop());

  it('hands every subscription to the other instance at once, not at its next poll', async () => {
    database = isolatedDatabase();
    const a = await startAppProcess(database.env);
    apps.push(a);
    const everything = [...SUBSCRIPTIONS].sort();
    await eventually(async () => ((await led(a.url)).length === SUBSCRIPTIONS.length ? true : undefined), 'A to lead');
    // B looks for work on its own only every ten minutes: within this test, only A can tell it to take over.
    const b = await startAppProcess({ ...database.env, SUBSCRIPTION_POLL_MS: '600000' });
    apps.push(b);
    expect(await led(b.url)).toEqual([]);
    const opened = await fetch(`${b.url}/carts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'handover' }),
    });
    expect(opened.status).toBe(201);

    a.child.kill('SIGTERM');
    const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
      a.child.once('exit', (_code, signal) => resolve(signal)),
    );
    expect(exit).toBe('SIGTERM');
    await eventually(async () => ((await led(b.url)).length === SUBSCRIPTIONS.length ? true : undefined), 'B to lead');
    expect(await led(b.url)).toEqual(everything);
    // And it carries on where A stopped: B's own write reaches its read model.
    const { cartId, position } = (await opened.json()) as { cartId: string; position: number };
    expect((await fetch(`${b.url}/carts/${cartId}?consistentWith=${position}`)).status).toBe(200);
  });
});
