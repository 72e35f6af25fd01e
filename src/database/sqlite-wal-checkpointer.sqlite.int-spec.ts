import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { statSync } from 'node:fs';
import { createTestDatabase } from '../event-sourcing/testing/test-database';

describe('the WAL checkpointer', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.drop());

  it('copies committed pages into the database file long before SQLite would, off the event loop', async () => {
    const path = database.dataSource.options.database as string;
    await database.dataSource.query('CREATE TABLE filler (value TEXT NOT NULL)');
    const before = statSync(path).size;
    // About 50 pages: SQLite's own checkpoint waits for 1,000.
    for (let row = 0; row < 100; row += 1) {
      await database.dataSource.query('INSERT INTO filler (value) VALUES (?)', ['x'.repeat(2000)]);
    }
    // A checkpoint may run while the rows go in and copy only the first of them: wait for all of them.
    const written = before + 100 * 2000;
    const deadline = Date.now() + 10_000;
    while (statSync(path).size <= written && Date.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 50));
    }
    expect(statSync(path).size).toBeGreaterThan(written);
  });
});
