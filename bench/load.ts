/**
 * Benchmark 3: milliseconds to load a ShoppingCart through AggregateRepository.load when its stream
 * holds 10, 1,000 and 100,000 events, next to the ceiling: raw better-sqlite3 reading and parsing the
 * same rows. With snapshots when the repository offers them (see SNAPSHOT_HOOK), else reported as n/a.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { AggregateRepository } from '../src/event-sourcing/aggregate-repository';
import { ShoppingCart } from '../src/shopping-carts/domain/shopping-cart.aggregate';
import { startAppContext, stopSubscriptions } from './lib/app';
import { childMain, Metrics } from './lib/child';
import { percentile, since } from './lib/stats';
import { cartStreamId, insertCartEvents, openRaw, RawDatabase } from './lib/sqlite';

/** Events per stream, and how many timed loads of it give a stable median. */
const SIZES = [
  { events: 10, loads: 300 },
  { events: 1_000, loads: 40 },
  { events: 100_000, loads: 5 },
];

/**
 * The hook this benchmark calls once src has snapshots: store a snapshot of the aggregate at its
 * current version, after which `load` starts from it instead of from event 1.
 */
interface SnapshotHook {
  snapshot(type: typeof ShoppingCart, id: string): Promise<unknown>;
}

function hasSnapshots(repository: AggregateRepository): repository is AggregateRepository & SnapshotHook {
  return typeof (repository as Partial<SnapshotHook>).snapshot === 'function';
}

/** The median of `loads` timed calls after a tenth as many untimed ones. */
async function medianMs(loads: number, work: () => unknown): Promise<number> {
  for (let i = 0; i < Math.ceil(loads / 10); i += 1) await work();
  const times: number[] = [];
  for (let i = 0; i < loads; i += 1) {
    const start = performance.now();
    await work();
    times.push(since(start));
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

/** The floor under any load: fetch the stream's rows and parse their JSON, nothing else. */
function rawRead(db: RawDatabase, streamId: string): () => unknown {
  const select = db.prepare<[string], { data: string; metadata: string }>(
    `SELECT position, event_id, stream_id, stream_version, type, data, metadata, recorded_at FROM events
       WHERE stream_id = ? AND stream_version >= 1 AND stream_version <= ${Number.MAX_SAFE_INTEGER}
       ORDER BY stream_version`,
  );
  return () => select.all(streamId).map((row) => [JSON.parse(row.data), JSON.parse(row.metadata)] as const);
}

childMain(async (): Promise<Metrics> => {
  const path = process.env.DATABASE_PATH ?? '';
  const app = await startAppContext();
  // Only the loads may touch the database: no projection may pick up the raw-seeded events.
  await stopSubscriptions(app);
  const carts = SIZES.map((size) => ({ ...size, cartId: randomUUID() }));
  const db = openRaw(path);
  for (const { cartId, events } of carts) {
    const history = (function* (): Generator<[string, number]> {
      for (let version = 1; version <= events; version += 1) yield [cartId, version];
    })();
    insertCartEvents(db, history, 10_000);
  }

  const repository = app.get(AggregateRepository);
  const metrics: Metrics = {};
  for (const { cartId, events, loads } of carts) {
    const loaded = await repository.load(ShoppingCart, cartId);
    if (loaded.version !== events) throw new Error(`cart loaded at ${loaded.version}, expected ${events}`);
    metrics[`load${events}Ms`] = await medianMs(loads, () => repository.load(ShoppingCart, cartId));
    metrics[`raw${events}Ms`] = await medianMs(loads, rawRead(db, cartStreamId(cartId)));
  }
  const largest = carts.at(-1);
  if (largest && hasSnapshots(repository)) {
    await repository.snapshot(ShoppingCart, largest.cartId);
    const loaded = await repository.load(ShoppingCart, largest.cartId);
    if (loaded.version !== largest.events) throw new Error(`snapshot load gave version ${loaded.version}`);
    metrics[`load${largest.events}SnapshotMs`] = await medianMs(largest.loads * 4, () =>
      repository.load(ShoppingCart, largest.cartId),
    );
  }
  db.close();
  await app.close();
  return metrics;
});
