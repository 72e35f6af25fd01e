import { afterAll, describe, expect, it } from '@jest/globals';
import { isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { AppProcess, startAppProcess } from './support/app-process';

interface Acknowledged {
  cartId: string;
  version: number;
  position: number;
}

async function post(url: string, body?: object): Promise<{ status: number; json: Acknowledged }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Acknowledged };
}

describe('a crash of the service process', () => {
  const database = isolatedDatabase();
  let app: AppProcess | undefined;
  afterAll(async () => {
    await app?.stop();
    await database.drop();
  });

  it('loses no acknowledged command, and the read models catch up to a replay after restart', async () => {
    app = await startAppProcess(database.env);
    const acknowledged: Acknowledged[] = [];
    const carts: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const opened = await post(`${app.url}/carts`, { customerId: `crash-customer-${i % 3}` });
      expect(opened.status).toBe(201);
      acknowledged.push(opened.json);
      carts.push(opened.json.cartId);
    }

    // Writers keep sending until the process dies under them; only answered commands count.
    const url = app.url;
    let dead = false;
    const writers = carts.map(async (cartId, writer) => {
      for (let n = 0; !dead; n += 1) {
        try {
          const added = await post(`${url}/carts/${cartId}/items`, {
            productId: `p-${n % 4}`,
            quantity: 1 + (n % 3),
            unitPriceCents: 100 * (writer + 1),
          });
          if (added.status === 200) acknowledged.push(added.json);
        } catch {
          return; // connection reset by the kill
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await app.kill();
    dead = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(carts.length + 20);

    app = await startAppProcess(database.env);
    for (const ack of acknowledged) {
      const events = (await (await fetch(`${app.url}/carts/${ack.cartId}/events`)).json()) as {
        position: number;
        version: number;
      }[];
      expect(events.find((event) => event.version === ack.version)?.position).toBe(ack.position);
    }

    const head = Math.max(...acknowledged.map((ack) => ack.position));
    for (const cartId of carts) {
      const events = (await (await fetch(`${app.url}/carts/${cartId}/events`)).json()) as { version: number }[];
      const current = events.length;
      const replayed = await (await fetch(`${app.url}/carts/${cartId}?atVersion=${current}`)).json();
      const projected = await fetch(`${app.url}/carts/${cartId}?consistentWith=${head}`);
      expect(projected.status).toBe(200);
      expect(await projected.json()).toEqual(replayed);
    }
    for (let customer = 0; customer < 3; customer += 1) {
      const listed = (await (
        await fetch(`${app.url}/carts?customerId=crash-customer-${customer}&consistentWith=${head}`)
      ).json()) as { cartId: string; totalCents: number; version: number }[];
      for (const row of listed) {
        const replayed = (await (await fetch(`${app.url}/carts/${row.cartId}?atVersion=${row.version}`)).json()) as {
          totalCents: number;
        };
        expect(row.totalCents).toBe(replayed.totalCents);
      }
      expect(listed).toHaveLength(carts.filter((_, i) => i % 3 === customer).length);
    }
  });
});
