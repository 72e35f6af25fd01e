import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { EventStore } from '../../event-sourcing/event-store';
import { SubscriptionRunner } from '../../event-sourcing/subscriptions/subscription-runner';
import { SubscriptionStore } from '../../event-sourcing/typeorm/subscription-store';
import { Metrics } from './metrics';

/** The pool TypeORM's PostgreSQL driver keeps (pg.Pool); only its counters are read. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const UUID_SUFFIX = /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `shopping-cart-<uuid>` → `shopping-cart`: a bounded label, whatever ids the streams have. */
export function streamCategory(streamId: string): string {
  if (UUID_SUFFIX.test(streamId)) return streamId.replace(UUID_SUFFIX, '');
  const dash = streamId.indexOf('-');
  return dash <= 0 ? streamId : streamId.slice(0, dash);
}

/**
 * What the event store and the subscriptions report: appends counted as they happen (the store's own
 * after-commit callback, no work on the append's path), positions, lag and parked events read from the
 * database when Prometheus scrapes, so they cost nothing between scrapes. A gauge whose query fails is left
 * out of that scrape instead of failing it, so the process metrics still arrive while the database is away.
 */
@Injectable()
export class StoreGauges implements OnModuleInit {
  private readonly logger = new Logger(StoreGauges.name);

  constructor(
    private readonly metrics: Metrics,
    private readonly store: EventStore,
    private readonly runner: SubscriptionRunner,
    private readonly subscriptions: SubscriptionStore,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (!this.metrics.enabled) return;
    const { eventsAppended, appendDuration, registry } = this.metrics;
    this.store.onAppended((result, seconds) => {
      eventsAppended.inc({ category: streamCategory(result.streamId) }, result.positions.length);
      appendDuration.observe(seconds);
    });

    const head: Gauge = new Gauge({
      name: 'ledgerline_event_store_head_position',
      help: 'Position of the last settled event in the event store',
      registers: [registry],
      collect: (): Promise<void> =>
        this.guarded('the head position', [head], async () => head.set(await this.store.headPosition())),
    });
    const position: Gauge<'subscription'> = new Gauge({
      name: 'ledgerline_subscription_position',
      help: 'Position of the last event each subscription (projection or saga) has handled',
      labelNames: ['subscription'] as const,
      registers: [registry],
      collect: (): Promise<void> =>
        this.guarded('subscription positions', [position], async () => {
          for (const { name, checkpoint } of await this.runner.status()) {
            position.set({ subscription: name }, checkpoint);
          }
        }),
    });
    // Collected on its own: prom-client reads every metric of a scrape concurrently.
    const lag: Gauge<'subscription'> = new Gauge({
      name: 'ledgerline_subscription_lag_events',
      help: "Positions between the event store's head and each subscription's checkpoint",
      labelNames: ['subscription'] as const,
      registers: [registry],
      collect: (): Promise<void> =>
        this.guarded('subscription lag', [lag], async () => {
          const [head, statuses] = await Promise.all([this.store.headPosition(), this.runner.status()]);
          for (const { name, checkpoint } of statuses) lag.set({ subscription: name }, Math.max(0, head - checkpoint));
        }),
    });
    const parked: Gauge<'subscription'> = new Gauge({
      name: 'ledgerline_subscription_parked_events',
      help: 'Events a saga gave up on and parked for an operator (see GET /subscriptions)',
      labelNames: ['subscription'] as const,
      registers: [registry],
      collect: (): Promise<void> =>
        this.guarded('parked events', [parked], async () => {
          const counts = await this.subscriptions.parkedCounts();
          for (const { name } of await this.runner.status()) parked.set({ subscription: name }, counts.get(name) ?? 0);
        }),
    });
    this.registerPoolGauges();
  }

  private registerPoolGauges(): void {
    if (this.dataSource.options.type !== 'postgres') return;
    const pool = (): PgPool | undefined => (this.dataSource.driver as unknown as { master?: PgPool }).master;
    const { registry } = this.metrics;
    new Gauge({
      name: 'ledgerline_pg_pool_connections',
      help: 'Connections the PostgreSQL pool holds open, busy or idle',
      registers: [registry],
      collect() {
        this.set(pool()?.totalCount ?? 0);
      },
    });
    new Gauge({
      name: 'ledgerline_pg_pool_idle_connections',
      help: 'Open PostgreSQL connections waiting for work',
      registers: [registry],
      collect() {
        this.set(pool()?.idleCount ?? 0);
      },
    });
    new Gauge({
      name: 'ledgerline_pg_pool_waiting_clients',
      help: 'Queries waiting for a PostgreSQL connection because the pool is exhausted',
      registers: [registry],
      collect() {
        this.set(pool()?.waitingCount ?? 0);
      },
    });
  }

  /**
   * Fills gauges afresh (a subscription that no longer exists disappears); on failure they report nothing
   * this scrape and the reason is logged.
   */
  private async guarded(what: string, gauges: Gauge<string>[], collect: () => Promise<void>): Promise<void> {
    for (const gauge of gauges) gauge.reset();
    try {
      await collect();
    } catch (error) {
      for (const gauge of gauges) gauge.reset();
      this.logger.warn(`Metrics: cannot read ${what}: ${String(error)}`);
    }
  }
}
