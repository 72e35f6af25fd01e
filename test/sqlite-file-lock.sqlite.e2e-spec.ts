import { afterEach, describe, expect, it } from '@jest/globals';
import { isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { AppProcess, runAppExpectingExit, startAppProcess } from './support/app-process';

async function openCart(url: string, customerId: string): Promise<number> {
  return (
    await fetch(`${url}/carts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId }),
    })
  ).status;
}

describe('one process per SQLite file', () => {
  const database = isolatedDatabase();
  let first: AppProcess | undefined;
  afterEach(async () => {
    await first?.kill();
    await database.drop();
  });

  it('refuses a second process on the same file, naming it, while the first keeps working', async () => {
    first = await startAppProcess(database.env);
    expect(await openCart(first.url, 'before')).toBe(201);

    const second = await runAppExpectingExit({ ...database.env, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`The SQLite database ${database.env.DATABASE_PATH} is already in use`);
    expect(second.output).toContain('use PostgreSQL');
    expect(second.output).not.toContain('Retrying');

    expect(await openCart(first.url, 'after')).toBe(201);
    // A killed process leaves no stale lock behind: the file serves the next one at once.
    await first.kill();
    first = await startAppProcess(database.env);
    expect(await openCart(first.url, 'restarted')).toBe(201);
  });
});
