import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** From 1 ms to 10 s: commands on SQLite take about a millisecond, a slow PostgreSQL seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type CommandOutcome = 'ok' | 'rejected' | 'conflict' | 'error';

/**
 * One app's Prometheus metrics, in its own registry (never prom-client's global one, so several apps in
 * one process, as in the tests, count apart). Label values are bounded: route templates, command class
 * names, stream categories. The gauges about subscriptions and the database are read when scraped, by
 * StoreGauges.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code, from arrival to the last byte sent',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'ledgerline_commands_total',
    help: 'Commands handled, by command and outcome (ok, rejected by a rule or validation, conflict, error)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'ledgerline_command_duration_seconds',
    help: 'Time to handle a command, retries after concurrent writes included',
    labelNames: ['command'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'ledgerline_events_appended_total',
    help: 'Events appended to the event store by this process, by stream category',
    labelNames: ['category'] as const,
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'ledgerline_append_duration_seconds',
    help: "Time to append one stream's events in one transaction (successful appends)",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor(readonly enabled: boolean) {
    if (enabled) collectDefaultMetrics({ register: this.registry });
  }
}
