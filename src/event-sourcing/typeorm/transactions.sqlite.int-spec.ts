import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import BetterSqlite3, { Database } from 'better-sqlite3';
import { createTestDatabase } from '../testing/test-database';
import { Transactions } from './transactions';

// The queue exists for SQLite's single connection; PostgreSQL isolates units of work itself.
describe('Transactions on SQLite', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let transactions: Transactions;

  beforeEach(async () => {
    database = await createTestDatabase();
    transactions = new Transactions(database.dataSource);
    await database.dataSource.query('CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)');
    await database.dataSource.query("INSERT INTO counters VALUES ('hits', 0)");
  });
  afterEach(() => database.drop());

  const value = () =>
    transactions.read(async (manager) => {
      const [row] = await manager.query<{ value: number }[]>("SELECT value FROM counters WHERE name = 'hits'");
      return row!.value;
    });

  it('keeps concurrent read-modify-write units from interleaving on the one connection', async () => {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        transactions.write(async (manager) => {
          const [row] = await manager.query<{ value: number }[]>("SELECT value FROM counters WHERE name = 'hits'");
          await new Promise((resolve) => setImmediate(resolve));
          await manager.query("UPDATE counters SET value = ? WHERE name = 'hits'", [row!.value + 1]);
        }),
      ),
    );
    expect(await value()).toBe(50);
  });

  it('rolls a failing unit back completely, and others still commit', async () => {
    const failing = transactions.write(async (manager) => {
      await manager.query("UPDATE counters SET value = 99 WHERE name = 'hits'");
      throw new Error('refused');
    });
    const fine = transactions.write((manager) =>
      manager.query("UPDATE counters SET value = value + 1 WHERE name = 'hits'"),
    );
    await expect(failing).rejects.toThrow('refused');
    await fine;
    expect(await value()).toBe(1);
  });

  it('commits synchronous units queued together in one transaction, rolling a failing one back alone', async () => {
    const add = (by: number) => (db: Database) =>
      db.prepare("UPDATE counters SET value = value + ? WHERE name = 'hits'").run(by).changes;
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    // A unit of work holds the connection while the three queue up behind it.
    const holder = transactions.write(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          holding();
        }),
    );
    await held;
    const first = transactions.writeSqlite(add(1));
    const failing = transactions.writeSqlite((db) => {
      add(100)(db);
      throw new Error('refused');
    });
    // Another connection sees none of them until the group commits.
    const reader = new BetterSqlite3(database.dataSource.options.database as string, { readonly: true });
    const committed = () =>
      reader.prepare<[], { value: number }>("SELECT value FROM counters WHERE name = 'hits'").get()!.value;
    let seenByOthers: number | undefined;
    const last = transactions.writeSqlite((db) => {
      seenByOthers = committed();
      return add(10)(db);
    });
    release();
    await holder;
    await expect(first).resolves.toBe(1);
    await expect(failing).rejects.toThrow('refused');
    await expect(last).resolves.toBe(1);
    expect(await value()).toBe(11);
    expect(seenByOthers).toBe(0);
    expect(committed()).toBe(11);
    reader.close();
  });

  it('lets work started inside a unit join it instead of deadlocking', async () => {
    const seen = await transactions.write(async (manager) => {
      await manager.query("UPDATE counters SET value = 7 WHERE name = 'hits'");
      const inner = await value();
      await transactions.write((nested) => nested.query("UPDATE counters SET value = value + 1 WHERE name = 'hits'"));
      return inner;
    });
    expect(seen).toBe(7);
    expect(await value()).toBe(8);
    await expect(
      transactions.read(() =>
        transactions.write((manager) => manager.query("UPDATE counters SET value = 1 WHERE name = 'hits'")),
      ),
    ).resolves.toBeDefined();
    expect(await value()).toBe(1);
  });

  it('answers a prepared read from committed data only, even while a unit of work is open', async () => {
    const prepared = () =>
      transactions
        .queryPrepared<{ value: number }>('hits', 'SELECT value FROM counters WHERE name = ?', ['hits'])
        .then(([row]) => row!.value);
    expect(await prepared()).toBe(0);
    let updated!: () => void;
    const inside = new Promise<void>((resolve) => (updated = resolve));
    const failing = transactions.write(async (manager) => {
      await manager.query("UPDATE counters SET value = 5 WHERE name = 'hits'");
      updated();
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('rolled back');
    });
    await inside;
    const seen = prepared();
    await expect(failing).rejects.toThrow('rolled back');
    expect(await seen).toBe(0);
  });

  it('answers a prepared read waiting for a unit of work before the units queued after it', async () => {
    let updated!: () => void;
    const inside = new Promise<void>((resolve) => (updated = resolve));
    const first = transactions.write(async (manager) => {
      await manager.query("UPDATE counters SET value = 1 WHERE name = 'hits'");
      updated();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    await inside;
    const next = transactions.write((manager) => manager.query("UPDATE counters SET value = 2 WHERE name = 'hits'"));
    const seen = transactions
      .queryPrepared<{ value: number }>('hits', 'SELECT value FROM counters WHERE name = ?', ['hits'])
      .then(([row]) => row!.value);
    await Promise.all([first, next]);
    expect(await seen).toBe(1);
    expect(await value()).toBe(2);
  });
});
