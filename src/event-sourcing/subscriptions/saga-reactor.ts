import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus, ICommand } from '@nestjs/cqrs';
import { SpanKind } from '@opentelemetry/api';
import { lastValueFrom, of, toArray } from 'rxjs';
import { EVENT_SOURCING_OPTIONS } from '../event-sourcing.options';
import type { EventSourcingOptions } from '../event-sourcing.options';
import { EventStore, RecordedEvent } from '../event-store';
import { SubscriptionStore } from '../typeorm/subscription-store';
import { Transactions } from '../typeorm/transactions';
import type { Saga } from './saga';
import { ParkedEventNotFound, ParkedRetryFailed } from './subscription.errors';
import { contextOf, inSpan, tracingActive } from '../../observability/tracing/spans';

/**
 * Runs one stored event through a saga and sends the commands it yields. A failure is retried with
 * backoff; when the attempts are spent the event is parked (visible to operators) and the saga moves
 * on, so one bad event never stops it for everyone else.
 */
@Injectable()
export class SagaReactor {
  private readonly logger = new Logger(SagaReactor.name);

  constructor(
    private readonly commandBus: CommandBus,
    private readonly store: EventStore,
    private readonly transactions: Transactions,
    private readonly subscriptions: SubscriptionStore,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
  ) {}

  /**
   * Runs a batch through the saga, in order. An event that causes commands is retried and then parked, and
   * its checkpoint is stored once its commands succeeded (or it is parked); events that cause none store
   * nothing here: the caller moves the checkpoint past them when it suits it. Returns the last event handled
   * (the batch's last, unless `stopping()` turned true between attempts: that event is then redelivered
   * after the restart) and the last one whose checkpoint was stored.
   */
  async handleBatch(
    name: string,
    saga: Saga,
    batch: readonly RecordedEvent[],
    stopping: () => boolean,
  ): Promise<{ handled: RecordedEvent | undefined; stored: RecordedEvent | undefined }> {
    let handled: RecordedEvent | undefined;
    let stored: RecordedEvent | undefined;
    for (const event of batch) {
      const commands = await this.commandsFor(saga, event);
      if (commands.length > 0) {
        if (!(await this.react(name, event, commands, stopping))) break;
        stored = event;
      }
      handled = event;
    }
    return { handled, stored };
  }

  /**
   * With tracing on, the reaction continues the trace of the request that appended the event (its
   * `traceparent` metadata), however much later and in whichever process it runs.
   */
  private react(name: string, event: RecordedEvent, commands: ICommand[], stopping: () => boolean): Promise<boolean> {
    if (!tracingActive()) return this.handle(name, event, commands, stopping);
    const attributes = {
      'ledgerline.subscription': name,
      'ledgerline.event_type': event.type,
      'ledgerline.stream': event.streamId,
      'ledgerline.position': event.position,
    };
    return inSpan(`saga ${name}`, attributes, () => this.handle(name, event, commands, stopping), {
      parent: contextOf(event.metadata.traceparent),
      kind: SpanKind.CONSUMER,
    });
  }

  private async handle(
    name: string,
    event: RecordedEvent,
    commands: ICommand[],
    stopping: () => boolean,
  ): Promise<boolean> {
    let lastError = '';
    for (let attempt = 1; attempt <= this.options.sagaAttempts; attempt += 1) {
      try {
        for (const command of commands) await this.commandBus.execute(command);
        await this.transactions.write((manager) => this.subscriptions.saveCheckpoint(manager, name, event.position));
        return true;
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (attempt === this.options.sagaAttempts) break;
        const delay = this.options.sagaBackoffMs * 2 ** (attempt - 1);
        this.logger.warn(
          `Saga ${name} failed on position ${event.position} (attempt ${attempt}), retrying in ${delay} ms: ${lastError}`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (stopping()) return false;
      }
    }
    this.logger.error(
      `Saga ${name} parked position ${event.position} after ${this.options.sagaAttempts} attempts: ${lastError}`,
    );
    await this.transactions.write(async (manager) => {
      await this.subscriptions.park(manager, name, event, lastError, this.options.sagaAttempts);
      await this.subscriptions.saveCheckpoint(manager, name, event.position);
    });
    return true;
  }

  async retryParked(name: string, saga: Saga, position: number): Promise<void> {
    const parked = (await this.subscriptions.parked(name)).find((entry) => entry.position === position);
    const event = await this.store.readEvent(position);
    if (parked === undefined || event === undefined) throw new ParkedEventNotFound(name, position);
    try {
      await this.send(saga, event);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await this.transactions.write((manager) =>
        this.subscriptions.park(manager, name, event, reason, parked.attempts + 1),
      );
      throw new ParkedRetryFailed(name, position, reason);
    }
    await this.subscriptions.unpark(name, position);
  }

  private commandsFor(saga: Saga, event: RecordedEvent): Promise<ICommand[]> {
    return lastValueFrom(saga.react(of(event)).pipe(toArray()));
  }

  private async send(saga: Saga, event: RecordedEvent): Promise<void> {
    for (const command of await this.commandsFor(saga, event)) await this.commandBus.execute(command);
  }
}
