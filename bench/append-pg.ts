/**
 * Benchmark 1b, PostgreSQL: events/s of one-event appends through the app's EventStore from
 * BENCH_PG_CLIENTS (32) concurrent appenders, each on streams of its own, against pgbench's TPS for
 * one-row INSERT transactions into a copy of the same table at the same concurrency (the ceiling). Two
 * kinds of append: each opening a new stream (NO_STREAM: the row pgbench inserts), and each adding to one
 * of the appender's streams at its expected version. The three alternate in ROUNDS slices adding up to
 * BENCH_PG_SECONDS each, so that other work on the machine weighs on all of them alike. The parent set
 * DATABASE_* to a fresh schema; the pool has one connection per appender, as pgbench has.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { EventStore, NO_STREAM } from '../src/event-sourcing/event-store';
import { ItemAddedToCart } from '../src/shopping-carts/domain/shopping-cart.events';
import { startAppContext, stopSubscriptions } from './lib/app';
import { arg, childMain, intEnv, Metrics } from './lib/child';
import { pgbenchInsert } from './lib/postgres';
import { cartStreamId, commandMetadata } from './lib/sqlite';
import { since } from './lib/stats';

const CLIENTS = intEnv('BENCH_PG_CLIENTS', 32);
const SECONDS = intEnv('BENCH_PG_SECONDS', 12);
const ROUNDS = 3;
const WARM_UP_MS = 2000;

/** A rate summed over slices: what was done, in how long. */
class Rate {
  private done = 0;
  private ms = 0;
  add(done: number, ms: number): void {
    this.done += done;
    this.ms += ms;
  }
  get perSecond(): number {
    return this.done / (this.ms / 1000);
  }
}

/** Runs `append` in `CLIENTS` loops until `ms` have passed; adds what they did to `rate`. */
async function slice(ms: number, rate: Rate, append: (client: number, n: number) => Promise<unknown>) {
  const start = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = 0; since(start) < ms; n += 1) {
        await append(client, n);
        done += 1;
      }
    }),
  );
  rate.add(done, since(start));
}

childMain(async (): Promise<Metrics> => {
  const app = await startAppContext();
  await stopSubscriptions(app);
  const store = app.get(EventStore);
  const pgbench = await pgbenchInsert(arg('schema'), arg('folder'), CLIENTS);
  const streams: { cartId: string; version: number }[][] = Array.from({ length: CLIENTS }, () => []);
  const open = async (client: number) => {
    const cartId = randomUUID();
    const event = new ItemAddedToCart(cartId, 'sku-1', 1, 100);
    await store.append(cartStreamId(cartId), NO_STREAM, [event], { metadata: commandMetadata() });
    streams[client]!.push({ cartId, version: 1 });
  };
  const addTo = async (client: number, n: number) => {
    const own = streams[client]!;
    const stream = own[n % own.length]!;
    const event = new ItemAddedToCart(stream.cartId, `sku-${stream.version % 50}`, 1, 100);
    await store.append(cartStreamId(stream.cartId), stream.version, [event], { metadata: commandMetadata() });
    stream.version += 1;
  };
  await slice(WARM_UP_MS, new Rate(), open);
  const [ceiling, newStreams, existingStreams] = [new Rate(), new Rate(), new Rate()];
  let cpuMs = 0;
  const seconds = Math.max(1, Math.round(SECONDS / ROUNDS));
  const ms = seconds * 1000;
  const measurements = [
    // pgbench blocks this process, in which nothing else runs meanwhile.
    () => Promise.resolve(ceiling.add(pgbench(seconds) * seconds, ms)),
    () => slice(ms, newStreams, open),
    () => slice(ms, existingStreams, addTo),
  ];
  for (let round = 0; round < ROUNDS; round += 1) {
    // Each goes first once: whatever one leaves behind (dirty pages, a checkpoint) weighs on each alike.
    for (let i = 0; i < measurements.length; i += 1) {
      const which = (round + i) % measurements.length;
      const before = process.cpuUsage();
      await measurements[which]!();
      const used = process.cpuUsage(before);
      if (which > 0) cpuMs += (used.user + used.system) / 1000;
    }
  }
  await app.close();
  return {
    pgbenchTps: ceiling.perSecond,
    newStreamsPerSecond: newStreams.perSecond,
    existingStreamsPerSecond: existingStreams.perSecond,
    // The share of one core this process used while appending: near 1, Node itself is the limit.
    appCpuShare: cpuMs / (2 * ms * ROUNDS),
  };
});
