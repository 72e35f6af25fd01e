/**
 * Benchmark 1, one child per mode: events/s of one-event appends with the expected version checked,
 * over 1,000 streams round-robin, through the app's EventStore (`--mode=store`) or through raw
 * better-sqlite3 doing the same SQL in the same schema with the same pragmas (`--mode=raw`, the ceiling).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../src/event-sourcing/event-store';
import { EventTypeRegistry } from '../src/event-sourcing/event-type-registry';
import { ItemAddedToCart } from '../src/shopping-carts/domain/shopping-cart.events';
import { startAppContext, stopSubscriptions } from './lib/app';
import { arg, childMain, intEnv, Metrics } from './lib/child';
import { since } from './lib/stats';
import { cartStreamId, commandMetadata, INSERT_EVENT, migrate, openRaw, removeFolder, tempFolder } from './lib/sqlite';

const STREAMS = 1_000;
const APPENDS = intEnv('BENCH_APPEND_EVENTS', 30_000);

/** Appends one event to `streamId`, which the caller knows to be at `expectedVersion`. */
type Append = (streamId: string, expectedVersion: number, event: ItemAddedToCart) => unknown;

async function storeAppender(path: string): Promise<{ append: Append; close: () => Promise<void> }> {
  process.env.DATABASE_PATH = path;
  const app = await startAppContext();
  // The store as the service wires it, minus the projections, which would compete for the database.
  await stopSubscriptions(app);
  const store = app.get(EventStore);
  return {
    append: (streamId, expectedVersion, event) =>
      store.append(streamId, expectedVersion, [event], { metadata: commandMetadata() }),
    close: () => app.close(),
  };
}

async function rawAppender(path: string): Promise<{ append: Append; close: () => Promise<void> }> {
  await migrate(path);
  const db = openRaw(path);
  const registry = new EventTypeRegistry();
  const versionOf = db.prepare<[string], { version: number | null }>(
    'SELECT MAX(stream_version) AS version FROM events WHERE stream_id = ?',
  );
  const insert = db.prepare(`${INSERT_EVENT} RETURNING position, stream_version`);
  // The same unit of work as the store: version check and insert in one transaction per event.
  const append = db.transaction((streamId: string, expectedVersion: number, event: ItemAddedToCart) => {
    const { type, data } = registry.serialize(event);
    const actual = versionOf.get(streamId)?.version ?? 0;
    if (actual !== expectedVersion) throw new Error(`${streamId} is at ${actual}, not ${expectedVersion}`);
    const metadata = JSON.stringify(commandMetadata());
    return insert.get(
      randomUUID(),
      streamId,
      actual + 1,
      type,
      JSON.stringify(data),
      metadata,
      new Date().toISOString(),
    );
  });
  return {
    append,
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

childMain(async (): Promise<Metrics> => {
  const mode = arg('mode');
  const folder = tempFolder();
  try {
    const path = `${folder}/append.sqlite`;
    const { append, close } = mode === 'raw' ? await rawAppender(path) : await storeAppender(path);
    const cartIds = Array.from({ length: STREAMS }, () => randomUUID());
    const versions = new Array<number>(STREAMS).fill(0);
    const run = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const stream = i % STREAMS;
        const cartId = cartIds[stream] ?? '';
        const product = versions[stream] ?? 0;
        await append(cartStreamId(cartId), product, new ItemAddedToCart(cartId, `sku-${product % 50}`, 1, 100));
        versions[stream] = product + 1;
      }
    };
    await run(STREAMS); // warm-up: creates every stream and lets the JIT settle; not timed
    const start = performance.now();
    await run(APPENDS);
    const eventsPerSecond = APPENDS / (since(start) / 1000);
    await close();
    return { eventsPerSecond };
  } finally {
    removeFolder(folder);
  }
});
