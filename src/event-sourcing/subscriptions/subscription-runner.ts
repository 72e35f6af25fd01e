import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { PositionNotWritten, ReadModelBehind } from '../event-sourcing.errors';
import { EVENT_SOURCING_OPTIONS } from '../event-sourcing.options';
import type { EventSourcingOptions } from '../event-sourcing.options';
import { compareLogOrder, EventStore, LOG_START, LogOrder, RecordedEvent } from '../event-store';
import { ClusterCoordinator } from '../typeorm/cluster-coordinator';
import { SubscriptionStore } from '../typeorm/subscription-store';
import { Transactions } from '../typeorm/transactions';
import { Projection, ProjectionOf } from './projection';
import { Relay, RelayOf } from './relay';
import { Saga, SagaOf } from './saga';
import type { Handler, Subscription, SubscriptionStatus, Waiter } from './subscription';
import { EventLoopTurns } from './event-loop-turns';
import { SharedPages } from './shared-pages';
import { SagaReactor } from './saga-reactor';
import { inSpan, linksTo, tracingActive } from '../../observability/tracing/spans';
import { SubscriptionNotFound, SubscriptionNotRebuildable, UnknownSubscriptions } from './subscription.errors';

const FOLLOWER_POLL_MS = 50;

/**
 * Moves events from the log into projections and sagas, in the log's order (EventStore.readAll), with
 * durable checkpoints. Catches up at start, wakes after each local append, and polls for appends by other
 * processes. A projection writes its rows and checkpoint in one transaction; a saga's commands are
 * idempotent, so a crash at any point loses nothing and repeats nothing.
 */
@Injectable()
export class SubscriptionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SubscriptionRunner.name);
  private readonly subscriptions = new Map<string, Subscription>();
  private stopped = false;
  private wakePending = false;
  private readonly pages: SharedPages;
  private readonly turns = new EventLoopTurns();
  private poller: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly store: EventStore,
    private readonly transactions: Transactions,
    private readonly checkpoints: SubscriptionStore,
    private readonly reactor: SagaReactor,
    private readonly coordinator: ClusterCoordinator,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
  ) {
    this.pages = new SharedPages(store, options.batchSize, () => this.lowestReader());
  }

  onApplicationBootstrap(): void {
    this.discover(ProjectionOf, (instance) => ({ kind: 'projection', projection: instance as Projection }));
    this.discover(SagaOf, (instance) => ({ kind: 'saga', saga: instance as Saga }));
    this.discover(RelayOf, (instance) => ({ kind: 'relay', relay: instance as Relay }));
    const unknown = this.options.pausedSubscriptions.filter((name) => !this.subscriptions.has(name));
    if (unknown.length > 0) throw new UnknownSubscriptions(unknown, [...this.subscriptions.keys()]);
    this.unsubscribe = [
      this.store.onAppended(() => this.wakeSoon()),
      this.coordinator.onRemoteAppend(() => this.wakeSoon()),
    ];
    this.poller = setInterval(() => this.wakeAll(), this.options.pollIntervalMs);
    this.poller.unref();
    this.wakeAll();
  }

  private discover(
    decorator: typeof ProjectionOf | typeof SagaOf | typeof RelayOf,
    handler: (instance: object) => Handler,
  ): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: decorator.KEY })) {
      const name = this.discovery.getMetadataByDecorator(decorator, wrapper)?.name;
      if (name === undefined || !wrapper.instance) continue;
      if (decorator === RelayOf && !(wrapper.instance as Relay).enabled) continue;
      if (this.subscriptions.has(name)) throw new Error(`Two subscriptions are named "${name}"`);
      this.subscriptions.set(name, {
        name,
        handler: handler(wrapper.instance as object),
        checkpoint: undefined,
        stored: undefined,
        storedAt: 0,
        flush: undefined,
        running: undefined,
        again: false,
        paused: this.options.pausedSubscriptions.includes(name),
        waiters: new Set(),
        failures: 0,
        lastError: undefined,
        rebuilds: [],
      });
    }
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * Stops every subscription at a batch boundary: resolves once the batches being applied are committed
   * (a saga stops between events). Nothing is lost: the next leader resumes from the checkpoints.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const stop of this.unsubscribe) stop();
    clearInterval(this.poller);
    await Promise.all(
      [...this.subscriptions.values()].map((subscription) => subscription.running ?? Promise.resolve()),
    );
    // A trailing checkpoint left unstored only means a restart reads past a few ignored events again.
    for (const subscription of this.subscriptions.values()) clearTimeout(subscription.flush);
  }

  async status(): Promise<SubscriptionStatus[]> {
    return Promise.all(
      [...this.subscriptions.values()].map(async (subscription) => ({
        name: subscription.name,
        kind: subscription.handler.kind,
        checkpoint: await this.checkpointOf(subscription.name),
        paused: subscription.paused,
        leader: this.coordinator.leads(subscription.name),
        lastError: subscription.lastError ?? null,
      })),
    );
  }

  /**
   * Resolves once the named subscription has handled the event at `position` and every one before it in the
   * log's order; else ReadModelBehind.
   */
  async waitFor(name: string, position: number): Promise<void> {
    const subscription = this.get(name);
    const { checkpoint } = subscription;
    // Where appends commit in position order (transaction 0), a lower position comes earlier in the log.
    if (position === 0 || (checkpoint?.transactionId === 0 && position <= checkpoint.position)) return;
    // A client can only hold positions of committed appends, so one with no event is a mistake, not a lag.
    const event = await this.store.readEvent(position);
    if (event === undefined) throw new PositionNotWritten(position, await this.store.headPosition());
    if (checkpoint !== undefined && compareLogOrder(event, checkpoint) <= 0) return;
    let waiter: Waiter | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Another instance may be the one processing it: look at the stored checkpoint meanwhile.
    const poll = setInterval(() => this.wake(subscription), FOLLOWER_POLL_MS);
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = { event, resolve };
        subscription.waiters.add(waiter);
        timer = setTimeout(
          () => reject(new ReadModelBehind(name, position, subscription.checkpoint?.position ?? 0)),
          this.options.consistencyWaitMs,
        );
        this.wake(subscription);
      });
    } finally {
      clearTimeout(timer);
      clearInterval(poll);
      if (waiter) subscription.waiters.delete(waiter);
    }
  }

  /** The position of the last event the named subscription has handled. */
  async checkpointOf(name: string): Promise<number> {
    const subscription = this.get(name);
    return subscription.checkpoint?.position ?? (await this.checkpoints.checkpoint(name));
  }

  /**
   * Empties a projection's tables and replays it from position 0, in the background: reads keep being
   * answered meanwhile. Resolves once the reset is committed.
   */
  rebuild(name: string): Promise<void> {
    const subscription = this.get(name);
    if (subscription.handler.kind !== 'projection') throw new SubscriptionNotRebuildable(name);
    return new Promise<void>((resolve) => {
      subscription.rebuilds.push(resolve);
      this.wake(subscription);
    });
  }

  pause(name: string): void {
    this.get(name).paused = true;
  }

  resume(name: string): void {
    const subscription = this.get(name);
    subscription.paused = false;
    this.wake(subscription);
  }

  /** Sends a parked event's commands once more; on success it is no longer parked. */
  async retryParked(name: string, position: number): Promise<void> {
    const subscription = this.get(name);
    if (subscription.handler.kind !== 'saga') throw new SubscriptionNotFound(name);
    await this.reactor.retryParked(name, subscription.handler.saga, position);
  }

  /**
   * The lowest checkpoint among subscriptions that read pages here (one not loaded yet counts as 0). On
   * PostgreSQL the log's order is not the positions' (settled-reads), so this only guides what stays shared.
   */
  private lowestReader(): number {
    let lowest = Infinity;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.paused && subscription.rebuilds.length === 0) continue;
      if (!this.coordinator.leads(subscription.name)) continue;
      lowest = Math.min(lowest, subscription.checkpoint?.position ?? 0);
    }
    return lowest;
  }

  private get(name: string): Subscription {
    const subscription = this.subscriptions.get(name);
    if (subscription === undefined) throw new SubscriptionNotFound(name);
    return subscription;
  }

  /** On SQLite one batch per iteration of the event loop (EventLoopTurns); elsewhere any next iteration. */
  private yieldTurn(): Promise<void> {
    if (this.transactions.engine === 'sqlite') return this.turns.next();
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Appends in the same turn of the event loop wake each subscription once. */
  private wakeSoon(): void {
    if (this.wakePending) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      this.wakeAll();
    });
  }

  private wakeAll(): void {
    for (const subscription of this.subscriptions.values()) this.wake(subscription);
  }

  private wake(subscription: Subscription): void {
    if (this.stopped || (subscription.paused && subscription.rebuilds.length === 0)) return;
    if (subscription.running) {
      subscription.again = true;
      return;
    }
    subscription.running = this.catchUp(subscription).finally(() => {
      subscription.running = undefined;
      if (subscription.again) {
        subscription.again = false;
        this.wake(subscription);
      }
    });
  }

  private async catchUp(subscription: Subscription): Promise<void> {
    const { name, handler } = subscription;
    try {
      if (!(await this.coordinator.lead(name))) {
        // Another instance processes it; forget what we knew, and report its progress to our waiters.
        subscription.checkpoint = undefined;
        this.resolveWaiters(subscription, await this.storedCheckpoint(name));
        return;
      }
      if (subscription.checkpoint === undefined) {
        subscription.checkpoint = await this.storedCheckpoint(name);
        subscription.stored = subscription.checkpoint.position;
      }
      while (!this.stopped) {
        // better-sqlite3 answers synchronously: without this a long catch-up would starve every request.
        await this.yieldTurn();
        // Checked between batches, so a busy subscription still honours a rebuild or a pause promptly.
        if (subscription.rebuilds.length > 0 && handler.kind === 'projection') {
          await this.reset(subscription, handler.projection);
        }
        if (subscription.paused) break;
        const batch = await this.pages.after(subscription.checkpoint.position);
        // Paused while the read was on its way (which on PostgreSQL may pick up events appended since).
        if (subscription.paused) break;
        const last = batch.at(-1);
        if (last === undefined) {
          // Caught up: a waiter that registered while the last batch was being stored is answered here.
          this.resolveWaiters(subscription, subscription.checkpoint);
          await this.storeTrailingCheckpoint(subscription);
          break;
        }
        if (handler.kind === 'projection') {
          const { projection } = handler;
          if (projection.handles === undefined || batch.some((event) => projection.handles!(event))) {
            const apply = () => this.applyProjection(subscription, projection, batch, last.position);
            if (tracingActive()) await this.tracedBatch(name, batch, apply);
            else await apply();
            this.markStored(subscription, last.position);
          }
          this.advance(subscription, last);
        } else if (handler.kind === 'relay') {
          const { relay } = handler;
          if (relay.handles === undefined || batch.some((event) => relay.handles!(event))) {
            await this.relay(subscription, relay, batch);
          } else {
            this.advance(subscription, last);
          }
        } else {
          const { handled, stored } = await this.reactor.handleBatch(name, handler.saga, batch, () => this.stopped);
          if (stored !== undefined) this.markStored(subscription, stored.position);
          if (handled !== undefined) this.advance(subscription, handled);
          if (handled !== last) return;
        }
        subscription.failures = 0;
        subscription.lastError = undefined;
      }
    } catch (error) {
      // The batch rolled back with its checkpoint; it is retried after a growing pause, in order.
      subscription.failures += 1;
      subscription.lastError = String(error);
      const after = subscription.checkpoint?.position ?? '?';
      subscription.checkpoint = undefined;
      const delay = Math.min(30_000, 100 * 2 ** Math.min(subscription.failures, 9));
      this.logger.error(
        `Subscription ${name} failed after position ${after} ` +
          `(attempt ${subscription.failures}, retrying in ${delay} ms): ${String(error)}`,
        error instanceof Error ? error.stack : undefined,
      );
      setTimeout(() => this.wake(subscription), delay).unref();
    }
  }

  /** Applies a batch and stores its checkpoint in one transaction. */
  private async applyProjection(
    subscription: Subscription,
    projection: Projection,
    batch: readonly RecordedEvent[],
    position: number,
  ): Promise<void> {
    const { name } = subscription;
    if (projection.applyBatchSqlite && this.transactions.engine === 'sqlite') {
      // No claim: one process per SQLite file (see sqlite-process-lock), so no other runner moves it.
      const { dataSource } = this.transactions;
      await this.transactions.writeSqlite((db) => {
        projection.applyBatchSqlite!(batch, { db, dataSource });
        this.checkpoints.saveCheckpointSqlite(db, name, position);
      });
      return;
    }
    if (projection.applyBatchPostgres && this.transactions.engine === 'postgres') {
      const { dataSource } = this.transactions;
      const claim = { name, expected: subscription.stored ?? 0, position };
      // No transaction: the projection stores its rows and the claimed checkpoint in one statement.
      const applied = await this.transactions.onConnection((client) =>
        projection.applyBatchPostgres!(batch, { client, dataSource, claim }),
      );
      if (applied) return;
    }
    await this.transactions.write(async (manager) => {
      await this.checkpoints.claim(manager, name, subscription.stored ?? 0);
      if (projection.applyBatch) await projection.applyBatch(batch, manager);
      else for (const event of batch) await projection.apply(event, manager);
      await this.checkpoints.saveCheckpoint(manager, name, position);
    });
  }

  /**
   * A projection batch as its own trace (whichever request woke the subscription is not its cause), linked
   * to the appends of its events.
   */
  private tracedBatch(name: string, batch: readonly RecordedEvent[], apply: () => Promise<void>): Promise<void> {
    const attributes = {
      'ledgerline.subscription': name,
      'ledgerline.batch_size': batch.length,
      'ledgerline.position': batch.at(-1)!.position,
    };
    return inSpan(`projection ${name}`, attributes, apply, { parent: ROOT_CONTEXT, links: linksTo(batch) });
  }

  /**
   * Delivers a batch in order, then stores the checkpoint (under the same leadership check as a
   * projection's). When a delivery fails, what was delivered before it is checkpointed first, so the
   * retry starts at the failed event.
   */
  private async relay(subscription: Subscription, relay: Relay, batch: readonly RecordedEvent[]): Promise<void> {
    let delivered: RecordedEvent | undefined;
    let failure: Error | undefined;
    try {
      for (const event of batch) {
        if (this.stopped) break;
        await relay.deliver(event);
        delivered = event;
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    if (delivered !== undefined) {
      const { position } = delivered;
      await this.checkpoints.moveCheckpoint({ name: subscription.name, expected: subscription.stored ?? 0, position });
      this.markStored(subscription, position);
      this.advance(subscription, delivered);
    }
    if (failure !== undefined) throw failure;
  }

  private async reset(subscription: Subscription, projection: Projection): Promise<void> {
    const requests = subscription.rebuilds.splice(0);
    await this.transactions.write(async (manager) => {
      await projection.clear(manager);
      await this.checkpoints.saveCheckpoint(manager, subscription.name, 0);
    });
    subscription.checkpoint = LOG_START;
    this.markStored(subscription, 0);
    this.logger.log(`Rebuilding projection ${subscription.name} from position 0`);
    for (const resolve of requests) resolve();
  }

  /**
   * Stores a checkpoint that moved only in memory: at once when the last store is `checkpointFlushMs` old,
   * else in a pass that many milliseconds after it, so a steady stream of commands costs one store per
   * interval rather than one per command.
   */
  private async storeTrailingCheckpoint(subscription: Subscription): Promise<void> {
    const position = subscription.checkpoint?.position;
    if (position === undefined || position === subscription.stored) return;
    const wait = subscription.storedAt + this.options.checkpointFlushMs - performance.now();
    if (wait > 0) {
      subscription.flush ??= setTimeout(() => {
        subscription.flush = undefined;
        this.wake(subscription);
      }, wait);
      return;
    }
    await this.checkpoints.moveCheckpoint({ name: subscription.name, expected: subscription.stored ?? 0, position });
    this.markStored(subscription, position);
  }

  private markStored(subscription: Subscription, position: number): void {
    subscription.stored = position;
    subscription.storedAt = performance.now();
  }

  private advance(subscription: Subscription, last: LogOrder): void {
    subscription.checkpoint = { transactionId: last.transactionId, position: last.position };
    this.resolveWaiters(subscription, subscription.checkpoint);
  }

  private resolveWaiters(subscription: Subscription, checkpoint: LogOrder): void {
    for (const waiter of subscription.waiters) if (compareLogOrder(waiter.event, checkpoint) <= 0) waiter.resolve();
  }

  /** The stored checkpoint, placed in the log's order by the event it names. */
  private async storedCheckpoint(name: string): Promise<LogOrder> {
    const position = await this.checkpoints.checkpoint(name);
    const event = position === 0 ? undefined : await this.store.readEvent(position);
    return { transactionId: event?.transactionId ?? 0, position };
  }
}
