import { afterEach, describe, expect, it } from '@jest/globals';
import { IsolatedDatabase, isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { AppProcess, startAppProcess } from './support/app-process';

describe('the rate limit on PostgreSQL', () => {
  const apps: AppProcess[] = [];
  let database: IsolatedDatabase;
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.kill();
    await database.drop();
  });

  /** Two instances on one fresh database, each allowing 10 requests a minute per client. */
  async function twoInstances(): Promise<[AppProcess, AppProcess]> {
    database = isolatedDatabase();
    const env = { ...database.env, RATE_LIMIT_PER_MINUTE: '10' };
    for (let n = 0; n < 2; n += 1) apps.push(await startAppProcess(env));
    return [apps.at(-2)!, apps.at(-1)!];
  }

  it('is one budget per client, shared by every instance', async () => {
    const [a, b] = await twoInstances();
    const statuses: number[] = [];
    // Alternating: each instance alone would allow all twelve.
    for (let n = 0; n < 12; n += 1) statuses.push((await fetch(`${[a, b][n % 2]!.url}/events?limit=1`)).status);
    expect(statuses).toEqual([...Array.from({ length: 10 }, () => 200), 429, 429]);
    const refused = await fetch(`${a.url}/events?limit=1`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({ type: 'urn:ledgerline:problem:rate-limited', status: 429 });
  });

  it('admits exactly the budget of a burst of concurrent requests, counted together', async () => {
    const [a, b] = await twoInstances();
    // Requests that arrive while a count is on its way are spent in the next one, in order.
    const statuses = await Promise.all(
      Array.from({ length: 30 }, async (_, n) => (await fetch(`${[a, b][n % 2]!.url}/events?limit=1`)).status),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });
});
