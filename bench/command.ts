/**
 * Benchmark 2: in-process add-item commands/s through the CommandBus (load, decide, append, commit)
 * in a Nest application context of AppModule, on carts that hold exactly 10 events.
 *
 * `--mode=seed` opens the carts and adds 9 items to each through the CommandBus, once, into the
 * DATABASE_PATH the parent gives, and waits for every subscription to catch up; `--mode=measure`
 * runs on a fresh copy of that file and sends one add-item command to each cart, then one refused
 * remove-item command to each (a rule violation is answered only after checking the stream's version).
 */
import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../src/event-sourcing/event-store';
import { SubscriptionRunner } from '../src/event-sourcing/subscriptions/subscription-runner';
import { AddItemToCart } from '../src/shopping-carts/commands/add-item-to-cart.command';
import { OpenCart } from '../src/shopping-carts/commands/open-cart.command';
import { RemoveItemFromCart } from '../src/shopping-carts/commands/remove-item-from-cart.command';
import { ProductNotInCart } from '../src/shopping-carts/domain/shopping-cart.errors';
import { startAppContext, waitForSubscriptions } from './lib/app';
import { arg, childMain, inParallel, intEnv, Metrics, progress } from './lib/child';
import { since } from './lib/stats';
import { cartStreamId, openRaw } from './lib/sqlite';

const CARTS = intEnv('BENCH_COMMAND_CARTS', 3_000);
const WARM_UP_CARTS = Math.min(500, Math.floor(CARTS / 5));
/** Commands in flight at once, as from concurrent requests; they queue on the one SQLite connection. */
const CONCURRENCY = 16;

async function seed(): Promise<Metrics> {
  const app = await startAppContext();
  const commands = app.get(CommandBus);
  const cartIds = Array.from({ length: CARTS }, () => randomUUID());
  const start = performance.now();
  await inParallel(CARTS, CONCURRENCY, (i) => commands.execute(new OpenCart(cartIds[i] ?? '', `customer-${i}`)));
  for (let item = 0; item < 9; item += 1) {
    await inParallel(CARTS, CONCURRENCY, (i) =>
      commands.execute(new AddItemToCart(cartIds[i] ?? '', `sku-${item}`, 1, 100 + item)),
    );
    if (item % 3 === 2) progress(`seeded ${CARTS} carts × ${item + 2} events`);
  }
  const seedCommandsPerSecond = (CARTS * 10) / (since(start) / 1000);
  await waitForSubscriptions(app.get(SubscriptionRunner), await app.get(EventStore).headPosition());
  await app.close();
  return { seedCommandsPerSecond };
}

async function measure(): Promise<Metrics> {
  const path = process.env.DATABASE_PATH ?? '';
  const db = openRaw(path);
  const streams = db
    .prepare<[], { stream_id: string }>('SELECT stream_id FROM events WHERE stream_version = 1 ORDER BY position')
    .all();
  db.close();
  const cartIds = streams.map((row) => row.stream_id.slice(cartStreamId('').length));
  const app = await startAppContext();
  const commands = app.get(CommandBus);
  const runner = app.get(SubscriptionRunner);
  const addItem = (i: number) => commands.execute(new AddItemToCart(cartIds[i] ?? '', 'sku-bench', 1, 250));

  // The first carts warm up the JIT and the caches; each cart gets exactly one command, at version 10.
  await inParallel(WARM_UP_CARTS, CONCURRENCY, addItem);
  await waitForSubscriptions(runner, await app.get(EventStore).headPosition());
  const measured = cartIds.length - WARM_UP_CARTS;
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  await inParallel(measured, CONCURRENCY, (i) => addItem(WARM_UP_CARTS + i));
  const commandsMs = since(start);
  // Projections run in the same process and compete for the same queue: report when they caught up too.
  await waitForSubscriptions(runner, await app.get(EventStore).headPosition());
  const withReadModelsMs = since(start);
  // CPU time, unlike throughput, hardly moves when other processes compete for the cores.
  const cpu = process.cpuUsage(cpuAtStart);
  // A refusal on a remembered aggregate is checked against the stored stream version before it is answered.
  const refuse = async (i: number) => {
    try {
      await commands.execute(new RemoveItemFromCart(cartIds[WARM_UP_CARTS + i] ?? '', 'sku-missing', 1));
    } catch (error) {
      if (error instanceof ProductNotInCart) return;
      throw error;
    }
    throw new Error('a removal of a missing product was accepted');
  };
  const refusalsStart = performance.now();
  await inParallel(measured, CONCURRENCY, refuse);
  const refusalsMs = since(refusalsStart);
  await app.close();
  return {
    commandsPerSecond: measured / (commandsMs / 1000),
    withReadModelsPerSecond: measured / (withReadModelsMs / 1000),
    cpuPerCommandMs: (cpu.user + cpu.system) / 1000 / measured,
    refusalsPerSecond: measured / (refusalsMs / 1000),
  };
}

childMain(() => (arg('mode') === 'seed' ? seed() : measure()));
