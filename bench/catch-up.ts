/**
 * Benchmark 4: rebuild of the cart-details read model over N stored cart events (BENCH_CATCHUP_EVENTS,
 * default 1,000,000), in events/s and peak RSS.
 *
 * `--mode=seed` writes the log once with raw batched inserts (cart histories interleaved 1,000 carts at
 * a time, as concurrent shoppers would leave them); each measured run gets a fresh copy of it.
 * `--mode=app` starts AppModule and waits until cart-details' checkpoint reaches the head; the parent
 * times it from the stored checkpoint, prints progress and enforces BENCH_CATCHUP_MAX_SECONDS, because a
 * catch-up may keep this process's event loop (and so its timers) busy until every subscription is done. `--mode=raw` is the ceiling: the same reads and cart_details
 * writes in raw better-sqlite3, batches of 500 with a checkpoint each, using the project's own
 * deserializer and row evolution; it prints its progress and stops at the time limit itself.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { EventTypeRegistry } from '../src/event-sourcing/event-type-registry';
import { SubscriptionRunner } from '../src/event-sourcing/subscriptions/subscription-runner';
import { CartOpened } from '../src/shopping-carts/domain/shopping-cart.events';
import { CART_DETAILS } from '../src/shopping-carts/read-models/cart-details/cart-details.projection';
import { cartRowAfter, CartLineView, isCartChange } from '../src/shopping-carts/read-models/cart-lines';
import { startAppContext } from './lib/app';
import { arg, childMain, intEnv, Metrics, progress, sleep } from './lib/child';
import { since } from './lib/stats';
import { headPosition, insertCartEvents, migrate, openRaw, RawDatabase } from './lib/sqlite';

const EVENTS = intEnv('BENCH_CATCHUP_EVENTS', 1_000_000);
const MAX_MS = intEnv('BENCH_CATCHUP_MAX_SECONDS', 0) * 1000 || Infinity;
const EVENTS_PER_CART = 10;
const PROGRESS_MS = 10_000;

function* interleavedCarts(): Generator<[string, number]> {
  let emitted = 0;
  while (emitted < EVENTS) {
    const block = Array.from({ length: 1_000 }, () => randomUUID());
    for (let version = 1; version <= EVENTS_PER_CART; version += 1) {
      for (const cartId of block) {
        if (emitted++ === EVENTS) return;
        yield [cartId, version];
      }
    }
  }
}

async function seed(path: string): Promise<Metrics> {
  await migrate(path);
  const db = openRaw(path);
  db.pragma('cache_size = -262144'); // 256 MB: keeps the index pages of a 1M-row seed in memory
  const start = performance.now();
  insertCartEvents(db, interleavedCarts(), 10_000);
  const seedEventsPerSecond = EVENTS / (since(start) / 1000);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { seedEventsPerSecond };
}

/** Runs `step` (one batch) until it reaches `head` or time runs out, printing progress on the way. */
function follow(head: number, step: () => number): { processed: number; elapsedMs: number } {
  const start = performance.now();
  let lastProgress = start;
  for (;;) {
    const at = step();
    const elapsed = since(start);
    if (at >= head || elapsed >= MAX_MS) return { processed: at, elapsedMs: elapsed };
    if (performance.now() - lastProgress >= PROGRESS_MS) {
      lastProgress = performance.now();
      progress(`raw: ${at.toLocaleString('en')} of ${head.toLocaleString('en')} events, ${rate(at, elapsed)}/s`);
    }
  }
}

const rate = (events: number, ms: number) => Math.round(events / (ms / 1000)).toLocaleString('en');

async function inApp(path: string): Promise<Metrics> {
  const db = openRaw(path);
  const head = headPosition(db);
  // A rebuild of the cart read model on a service that is otherwise caught up, as after
  // POST /subscriptions/cart-details/rebuild: the other subscriptions start at the head.
  const caughtUp = db.prepare(
    `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
  );
  for (const name of ['customer-carts', 'order-details', 'checkout-saga'])
    caughtUp.run(name, head, new Date().toISOString());
  db.close();
  // Milliseconds since this process started: the parent times the rebuild from here.
  const appStartMs = performance.now();
  const app = await startAppContext();
  const startupRssMb = process.memoryUsage().rss / 2 ** 20;
  const runner = app.get(SubscriptionRunner);
  while ((await runner.checkpointOf(CART_DETAILS)) < head) await sleep(20);
  const doneMs = performance.now();
  // No app.close(): it would wait for the other subscriptions' passes; the copy is thrown away anyway.
  return { appStartMs, doneMs, startupRssMb };
}

interface EventRow {
  position: number;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
}

/** cart-details' work without TypeORM, Nest or the runner: the ceiling for one projection. */
function replayBatch(db: RawDatabase): (rows: EventRow[]) => void {
  const registry = new EventTypeRegistry();
  const insertCart = db.prepare(
    `INSERT INTO cart_details (cart_id, customer_id, status, items, total_cents, version)
     VALUES (?, ?, 'open', '[]', 0, ?) ON CONFLICT DO NOTHING`,
  );
  const findCart = db.prepare<[string], { items: string; status: 'open' | 'checked_out'; version: number }>(
    'SELECT cart_id, customer_id, status, items, total_cents, version FROM cart_details WHERE cart_id = ?',
  );
  const updateCart = db.prepare(
    'UPDATE cart_details SET items = ?, total_cents = ?, status = ?, version = ? WHERE cart_id = ?',
  );
  const checkpoint = db.prepare(
    `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES ('bench-raw', ?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  );
  return db.transaction((rows: EventRow[]) => {
    for (const row of rows) {
      const event = registry.deserialize(row.type, JSON.parse(row.data) as Record<string, unknown>);
      JSON.parse(row.metadata); // the runner parses every event's metadata too
      if (event instanceof CartOpened) {
        insertCart.run(event.cartId, event.customerId, row.stream_version);
      } else if (isCartChange(event)) {
        const cart = findCart.get(event.cartId);
        const items = cart && (JSON.parse(cart.items) as CartLineView[]);
        const next = cart && items && cartRowAfter({ ...cart, items }, event, row.stream_version);
        if (next) updateCart.run(JSON.stringify(next.items), next.totalCents, next.status, next.version, event.cartId);
      }
    }
    checkpoint.run(rows.at(-1)?.position ?? 0, new Date().toISOString());
  });
}

function raw(path: string): Metrics {
  const db = openRaw(path);
  const head = headPosition(db);
  const select = db.prepare<[number, number], EventRow>(
    `SELECT position, event_id, stream_id, stream_version, type, data, metadata, recorded_at FROM events
       WHERE position > ? ORDER BY position LIMIT ?`,
  );
  const apply = replayBatch(db);
  let checkpoint = 0;
  const { processed, elapsedMs } = follow(head, () => {
    const rows = select.all(checkpoint, 500);
    if (rows.length > 0) apply(rows);
    checkpoint = rows.at(-1)?.position ?? checkpoint;
    return checkpoint;
  });
  db.close();
  return { eventsPerSecond: processed / (elapsedMs / 1000), complete: processed >= head ? 1 : 0 };
}

childMain(() => {
  const path = process.env.DATABASE_PATH ?? '';
  const mode = arg('mode');
  return mode === 'seed' ? seed(path) : mode === 'app' ? inApp(path) : Promise.resolve(raw(path));
});
