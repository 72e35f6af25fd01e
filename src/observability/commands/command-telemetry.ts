import { HttpException, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus, ICommand } from '@nestjs/cqrs';
import { context, Span, trace } from '@opentelemetry/api';
import { DomainRuleViolation } from '../../event-sourcing/domain-rule-violation';
import {
  AggregateAlreadyExists,
  AggregateNotFound,
  ConcurrencyConflict,
  IdempotencyKeyReused,
  PreconditionFailed,
  StreamNotFound,
  UnstorableEvent,
  VersionNotFound,
} from '../../event-sourcing/event-sourcing.errors';
import { CommandOutcome, Metrics } from '../metrics/metrics';
import { recordFailure, tracer, tracingActive } from '../tracing/spans';

/** How a command ended, as the metrics and spans name it: the 4xx a client caused apart from our 5xx. */
export function commandOutcome(error: unknown): CommandOutcome {
  if (error instanceof ConcurrencyConflict || error instanceof PreconditionFailed) return 'conflict';
  if (error instanceof AggregateAlreadyExists) return 'conflict';
  if (
    error instanceof DomainRuleViolation ||
    error instanceof AggregateNotFound ||
    error instanceof VersionNotFound ||
    error instanceof StreamNotFound ||
    error instanceof IdempotencyKeyReused ||
    error instanceof UnstorableEvent
  ) {
    return 'rejected';
  }
  if (error instanceof HttpException && error.getStatus() < 500) return 'rejected';
  return 'error';
}

type Send = (command: ICommand, asyncContext?: unknown) => Promise<unknown>;

/**
 * Counts, times and traces every command, whoever sends it (a controller or a saga). @nestjs/cqrs has no
 * command middleware, so the bus's `execute` is wrapped once, at start. With tracing off the wrapper adds
 * one `then` to the command's promise, or nothing at all with METRICS_ENABLED=false.
 */
@Injectable()
export class CommandTelemetry implements OnModuleInit {
  constructor(
    private readonly bus: CommandBus,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const send = this.bus.execute.bind(this.bus) as Send;
    const { enabled } = this.metrics;
    this.bus.execute = (command: ICommand, asyncContext?: unknown) => {
      // Checked per command: a test may install its in-memory exporter after the app started.
      if (tracingActive()) return this.traced(command, () => send(command, asyncContext));
      if (!enabled) return send(command, asyncContext);
      const started = performance.now();
      return this.measured(command, started, send(command, asyncContext), undefined);
    };
  }

  private measured<T>(command: ICommand, started: number, running: Promise<T>, span: Span | undefined): Promise<T> {
    const name = command.constructor.name;
    return running.then(
      (result) => {
        this.record(name, 'ok', started, span);
        return result;
      },
      (error: unknown) => {
        const outcome = commandOutcome(error);
        // A refusal or a conflict is the client's answer, not a failure of the service.
        if (span !== undefined && outcome === 'error') recordFailure(span, error);
        this.record(name, outcome, started, span);
        throw error;
      },
    );
  }

  private record(command: string, outcome: CommandOutcome, started: number, span: Span | undefined): void {
    if (this.metrics.enabled) {
      this.metrics.commands.inc({ command, outcome });
      this.metrics.commandDuration.observe({ command }, (performance.now() - started) / 1000);
    }
    if (span !== undefined) {
      span.setAttribute('ledgerline.command.outcome', outcome);
      span.end();
    }
  }

  /** The command's span is active for everything the handler awaits, so its append becomes a child. */
  private traced(command: ICommand, send: () => Promise<unknown>): Promise<unknown> {
    const name = command.constructor.name;
    const started = performance.now();
    const span = tracer.startSpan(`command ${name}`, { attributes: { 'ledgerline.command': name } });
    // async: a handler that throws before its first await still ends the span.
    const running = context.with(trace.setSpan(context.active(), span), async () => send());
    return this.measured(command, started, running, span);
  }
}
