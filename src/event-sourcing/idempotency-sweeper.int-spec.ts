import { afterEach, describe, expect, it } from '@jest/globals';
import { IdempotencySweeper } from './idempotency-sweeper';
import { createEventSourcingTestModule } from './testing/event-sourcing-test-module';
import { isolatedDatabase, testEngine } from './testing/test-database';
import { sql, toDbTime } from './typeorm/sql';
import { Transactions } from './typeorm/transactions';

const HOUR = 3_600_000;

/** Stores `count` records (as appends leave them) expiring at `expiresAt`. */
async function storeKeys(transactions: Transactions, prefix: string, count: number, expiresAt: Date): Promise<void> {
  const engine = transactions.engine;
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, index) => [
      'client:anonymous',
      `${prefix}-${start + index}`,
      'fingerprint',
      'stream',
      1,
      1,
      toDbTime(engine, new Date()),
      toDbTime(engine, expiresAt),
    ]);
    await transactions.write((manager) =>
      manager.query(
        sql(
          engine,
          `INSERT INTO idempotency_keys (scope, key, fingerprint, stream_id, version, position, recorded_at, expires_at)
           VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        ),
        rows.flat(),
      ),
    );
  }
}

async function keysLeft(transactions: Transactions): Promise<string[]> {
  const rows = await transactions.read((manager) =>
    manager.query<{ key: string }[]>('SELECT key FROM idempotency_keys ORDER BY key'),
  );
  return rows.map((row) => row.key);
}

describe(`IdempotencySweeper (${testEngine()})`, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('deletes every record expired by the given time, batch by batch, and keeps the live ones', async () => {
    const test = await createEventSourcingTestModule({});
    cleanup.push(test.close);
    const transactions = test.module.get(Transactions);
    const now = Date.now();
    await storeKeys(transactions, 'expiring', 1_234, new Date(now + HOUR));
    await storeKeys(transactions, 'live', 3, new Date(now + 3 * HOUR));

    const sweeper = test.module.get(IdempotencySweeper);
    expect(await sweeper.sweep(new Date(now + 2 * HOUR))).toBe(1_234);
    expect(await keysLeft(transactions)).toEqual(['live-0', 'live-1', 'live-2']);
    expect(await sweeper.sweep(new Date(now + 2 * HOUR))).toBe(0);
  });

  it('sweeps when the service starts', async () => {
    const database = isolatedDatabase();
    cleanup.push(() => database.drop());
    const first = await createEventSourcingTestModule({}, {}, database);
    await storeKeys(first.module.get(Transactions), 'expired', 10, new Date(Date.now() - HOUR));
    await storeKeys(first.module.get(Transactions), 'live', 2, new Date(Date.now() + HOUR));
    await first.close();

    const restarted = await createEventSourcingTestModule({}, {}, database);
    cleanup.push(restarted.close);
    const transactions = restarted.module.get(Transactions);
    const deadline = Date.now() + 5_000;
    while ((await keysLeft(transactions)).length > 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await keysLeft(transactions)).toEqual(['live-0', 'live-1']);
  });
});
