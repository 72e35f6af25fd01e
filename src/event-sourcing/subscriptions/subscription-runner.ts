import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { ReadModelBehind } from '../event-sourcing.errors';
import { EVENT_SOURCING_OPTIONS } from '../event-sourcing.options';
import type { EventSourcingOptions } from '../event-sourcing.options';
import { EventStore } from '../event-store';
import { sql, toDbTime } from '../typeorm/sql';
import { Transactions } from '../typeorm/transactions';
import { Projection, ProjectionOf } from './projection';

interface Waiter {
  position: number;
  resolve: () => void;
}

interface Subscription {
  name: string;
  projection: Projection;
  /** Last position applied and stored; undefined until read from the database. */
  checkpoint: number | undefined;
  running: Promise<void> | undefined;
  /** A wake-up arrived while a pass was running: run another pass after it. */
  again: boolean;
  waiters: Set<Waiter>;
  failures: number;
}

/**
 * Moves events from the log into projections, in global position order, with durable checkpoints.
 * Catches up at start, wakes after each local append, and polls for appends by other processes.
 * A crash at any point loses nothing: rows and checkpoint commit together, and a restart resumes
 * from the checkpoint.
 */
@Injectable()
export class SubscriptionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SubscriptionRunner.name);
  private readonly subscriptions = new Map<string, Subscription>();
  private stopped = false;
  private poller: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly store: EventStore,
    private readonly transactions: Transactions,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: ProjectionOf.KEY })) {
      const { name } = this.discovery.getMetadataByDecorator(ProjectionOf, wrapper) ?? {};
      if (name === undefined || wrapper.instance === undefined) continue;
      if (this.subscriptions.has(name)) throw new Error(`Two projections are named "${name}"`);
      this.subscriptions.set(name, {
        name,
        projection: wrapper.instance as Projection,
        checkpoint: undefined,
        running: undefined,
        again: false,
        waiters: new Set(),
        failures: 0,
      });
    }
    this.unsubscribe = this.store.onAppended(() => this.wakeAll());
    this.poller = setInterval(() => this.wakeAll(), this.options.pollIntervalMs);
    this.poller.unref();
    this.wakeAll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.poller);
    await Promise.all(
      [...this.subscriptions.values()].map((subscription) => subscription.running ?? Promise.resolve()),
    );
  }

  names(): string[] {
    return [...this.subscriptions.keys()];
  }

  /**
   * Resolves once the named projection has applied every event up to `position`; throws
   * ReadModelBehind if that takes longer than the configured wait.
   */
  async waitFor(name: string, position: number): Promise<void> {
    const subscription = this.get(name);
    if ((subscription.checkpoint ?? -1) >= position) return;
    let waiter: Waiter | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = { position, resolve };
        subscription.waiters.add(waiter);
        timer = setTimeout(
          () => reject(new ReadModelBehind(name, position, subscription.checkpoint ?? 0)),
          this.options.consistencyWaitMs,
        );
        this.wake(subscription);
      });
    } finally {
      clearTimeout(timer);
      if (waiter) subscription.waiters.delete(waiter);
    }
  }

  /** The last position the named projection has applied. */
  async checkpointOf(name: string): Promise<number> {
    const subscription = this.get(name);
    return subscription.checkpoint ?? (await this.readCheckpoint(name));
  }

  private get(name: string): Subscription {
    const subscription = this.subscriptions.get(name);
    if (subscription === undefined) throw new Error(`No projection is named "${name}"`);
    return subscription;
  }

  private wakeAll(): void {
    for (const subscription of this.subscriptions.values()) this.wake(subscription);
  }

  private wake(subscription: Subscription): void {
    if (this.stopped) return;
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
    try {
      subscription.checkpoint ??= await this.readCheckpoint(subscription.name);
      while (!this.stopped) {
        const batch = await this.store.readAll(subscription.checkpoint, this.options.batchSize);
        const last = batch.at(-1);
        if (last === undefined) break;
        await this.transactions.write(async (manager) => {
          for (const event of batch) await subscription.projection.apply(event, manager);
          await this.writeCheckpoint(manager, subscription.name, last.position);
        });
        subscription.checkpoint = last.position;
        subscription.failures = 0;
        for (const waiter of subscription.waiters) {
          if (waiter.position <= last.position) waiter.resolve();
        }
      }
      for (const waiter of subscription.waiters) {
        if (waiter.position <= (subscription.checkpoint ?? 0)) waiter.resolve();
      }
    } catch (error) {
      // The batch rolled back with its checkpoint; it is retried after a growing pause, in order.
      subscription.failures += 1;
      const delay = Math.min(30_000, 100 * 2 ** Math.min(subscription.failures, 9));
      this.logger.error(
        `Projection ${subscription.name} failed after position ${subscription.checkpoint ?? '?'} ` +
          `(attempt ${subscription.failures}, retrying in ${delay} ms): ${String(error)}`,
        error instanceof Error ? error.stack : undefined,
      );
      setTimeout(() => this.wake(subscription), delay).unref();
    }
  }

  private async readCheckpoint(name: string): Promise<number> {
    const rows = await this.transactions.read((manager) =>
      manager.query<{ position: number | string }[]>(
        sql(this.transactions.engine, 'SELECT position FROM subscription_checkpoints WHERE name = ?'),
        [name],
      ),
    );
    return Number(rows[0]?.position ?? 0);
  }

  private async writeCheckpoint(manager: EntityManager, name: string, position: number): Promise<void> {
    const engine = this.transactions.engine;
    await manager.query(
      sql(
        engine,
        `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
      ),
      [name, position, toDbTime(engine, new Date())],
    );
  }
}
