import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../../src/config/database.config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { EventTypeRegistry } from '../../src/event-sourcing/event-type-registry';
import { ShoppingCart } from '../../src/shopping-carts/domain/shopping-cart.aggregate';
import { CartOpened, ItemAddedToCart } from '../../src/shopping-carts/domain/shopping-cart.events';

export type RawDatabase = Database.Database;

export function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'ledgerline-bench-'));
}

export function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}

/** Copies a closed database (and its WAL, should one be left) into `folder`; returns the copy's path. */
export function copyDatabase(from: string, folder: string): string {
  const to = join(folder, 'bench.sqlite');
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
  return to;
}

/** Creates the schema exactly as the service does: the project's own migrations through TypeORM. */
export async function migrate(path: string): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(readDatabaseConfig({ DATABASE_PATH: path })));
  await dataSource.initialize();
  await dataSource.destroy();
}

/** A raw connection with the pragmas the service's DataSource sets (WAL, synchronous=NORMAL, foreign keys). */
export function openRaw(path: string): RawDatabase {
  const db = new Database(path, { timeout: 5000 });
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  return db;
}

const registry = new EventTypeRegistry();

export function cartStreamId(cartId: string): string {
  return `${ShoppingCart.streamCategory}-${cartId}`;
}

/**
 * The event at `version` of a valid cart history: CartOpened, then ItemAddedToCart of one unit of
 * 50 rotating products (so no line nears the 10,000 limit even in a 100,000-event stream), at prices
 * that differ from cart to cart, as real totals do.
 */
export function cartEvent(cartId: string, version: number): CartOpened | ItemAddedToCart {
  if (version === 1) return new CartOpened(cartId, `customer-${cartId.slice(0, 8)}`, 'EUR');
  const product = (version - 2) % 50;
  const price = 100 + ((parseInt(cartId.slice(0, 6), 16) + product * 37) % 9_900);
  return new ItemAddedToCart(cartId, `sku-${product}`, 1, price);
}

/** Type name and JSON the event store would write for this event. */
export function serialized(event: object): { type: string; data: string } {
  const { type, data } = registry.serialize(event);
  return { type, data: JSON.stringify(data) };
}

/** Metadata as the service writes it for a command without tracing headers (one id for all three). */
export function commandMetadata(): { correlationId: string; causationId: string; commandId: string } {
  const id = randomUUID();
  return { correlationId: id, causationId: id, commandId: id };
}

export const INSERT_EVENT = `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

/**
 * Inserts the given [cartId, version] events as valid cart events, `batchSize` rows per transaction.
 * Only for seeding: the fastest way to get a big log, not what is measured.
 */
export function insertCartEvents(
  db: RawDatabase,
  events: Iterable<[cartId: string, version: number]>,
  batchSize: number,
): number {
  const insert = db.prepare(INSERT_EVENT);
  const insertBatch = db.transaction((batch: [string, number][]) => {
    const recordedAt = new Date().toISOString();
    for (const [cartId, version] of batch) {
      const { type, data } = serialized(cartEvent(cartId, version));
      const metadata = JSON.stringify(commandMetadata());
      insert.run(randomUUID(), cartStreamId(cartId), version, type, data, metadata, recordedAt);
    }
  });
  let batch: [string, number][] = [];
  let count = 0;
  for (const event of events) {
    batch.push(event);
    if (batch.length === batchSize) {
      insertBatch(batch);
      count += batch.length;
      batch = [];
    }
  }
  insertBatch(batch);
  return count + batch.length;
}

export function headPosition(db: RawDatabase): number {
  const row = db.prepare('SELECT MAX(position) AS position FROM events').get() as { position: number | null };
  return row.position ?? 0;
}

/** A subscription's stored checkpoint (WAL lets a second connection read it while the app writes). */
export function checkpointIn(db: RawDatabase, name: string): number {
  const row = db
    .prepare<[string], { position: number }>('SELECT position FROM subscription_checkpoints WHERE name = ?')
    .get(name);
  return row?.position ?? 0;
}
