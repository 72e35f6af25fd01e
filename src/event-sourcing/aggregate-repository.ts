import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher } from '@nestjs/cqrs';
import { AggregateClass, EventSourcedAggregate } from './aggregate-root';
import { CommandContext, metadataOf } from './command-context';
import {
  AggregateAlreadyExists,
  AggregateNotFound,
  ConcurrencyConflict,
  IdempotencyKeyReused,
  PreconditionFailed,
  VersionNotFound,
  WrongExpectedVersion,
} from './event-sourcing.errors';
import { EVENT_SOURCING_OPTIONS } from './event-sourcing.options';
import type { EventSourcingOptions } from './event-sourcing.options';
import { AppendResult, EventStore, ExpectedVersion, IdempotencyKeyTaken, NO_STREAM } from './event-store';
import { KeyedLock } from './async-lock';

/** What a command did: the aggregate it touched, its version after, and its last event's position. */
export interface CommandResult {
  aggregateId: string;
  version: number;
  position: number;
}

/**
 * Loads aggregates by replaying their streams and saves what they decided. `save` appends the
 * uncommitted events with an expected version in one transaction and only then commits them to the
 * EventBus, so nothing is published that was not stored.
 */
@Injectable()
export class AggregateRepository {
  // Commands on one stream queue here instead of racing each other into retries.
  private readonly streamLocks = new KeyedLock();

  constructor(
    private readonly store: EventStore,
    private readonly publisher: EventPublisher,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
  ) {}

  streamId<A extends EventSourcedAggregate>(type: AggregateClass<A>, id: string): string {
    return `${type.streamCategory}-${id}`;
  }

  /** The aggregate at its latest version, or at `toVersion` (time travel). */
  async load<A extends EventSourcedAggregate>(
    type: AggregateClass<A>,
    id: string,
    { toVersion }: { toVersion?: number } = {},
  ): Promise<A> {
    const history = await this.store.readStream(this.streamId(type, id), { toVersion });
    if (history.length === 0) throw new AggregateNotFound(type.name, id);
    if (toVersion !== undefined && history.length < toVersion) {
      throw new VersionNotFound(type.name, id, toVersion, history.length);
    }
    const aggregate = new type(id);
    aggregate.replay(history.map((recorded) => recorded.event));
    return aggregate;
  }

  /** The global position of an aggregate's event at `version`. */
  async positionOf<A extends EventSourcedAggregate>(
    type: AggregateClass<A>,
    id: string,
    version: number,
  ): Promise<number> {
    const [event] = await this.store.readStream(this.streamId(type, id), { fromVersion: version, toVersion: version });
    if (event === undefined)
      throw new VersionNotFound(type.name, id, version, await this.store.streamVersion(this.streamId(type, id)));
    return event.position;
  }

  /** Appends the aggregate's new events, then publishes them. */
  async save(
    aggregate: EventSourcedAggregate,
    context: CommandContext,
    expectedVersion: ExpectedVersion = aggregate.persistedVersion === 0 ? NO_STREAM : aggregate.persistedVersion,
  ): Promise<AppendResult> {
    const type = aggregate.constructor as AggregateClass<EventSourcedAggregate>;
    const result = await this.store.append(
      this.streamId(type, aggregate.id),
      expectedVersion,
      aggregate.getUncommittedEvents(),
      {
        metadata: metadataOf(context),
        idempotency: context.idempotency && {
          ...context.idempotency,
          expiresAt: new Date(Date.now() + this.options.idempotencyRetentionMs),
        },
      },
    );
    aggregate.markPersisted(result.version);
    this.publisher.mergeObjectContext(aggregate).commit();
    return result;
  }

  /** Stores a new aggregate; its stream must not exist yet. */
  create(aggregate: EventSourcedAggregate, context: CommandContext): Promise<CommandResult> {
    const type = aggregate.constructor as AggregateClass<EventSourcedAggregate>;
    return this.idempotently(type, context, async () => {
      try {
        return await this.save(aggregate, context, NO_STREAM);
      } catch (error) {
        if (error instanceof WrongExpectedVersion) throw new AggregateAlreadyExists(type.name, aggregate.id);
        throw error;
      }
    });
  }

  /**
   * Runs one command against an existing aggregate: load, decide, save.
   *
   * With If-Match (`context.expectedVersion`) the client decided against that version, so a mismatch
   * fails with PreconditionFailed. Without it, the decision is remade against the newer state when
   * another writer got in first: safe, because the aggregate re-checks its rules every time.
   */
  update<A extends EventSourcedAggregate>(
    type: AggregateClass<A>,
    id: string,
    context: CommandContext,
    decide: (aggregate: A) => void,
  ): Promise<CommandResult> {
    const streamId = this.streamId(type, id);
    return this.streamLocks.run(streamId, () =>
      this.idempotently(type, context, () => this.decideAndSave(type, id, context, decide)),
    );
  }

  private async decideAndSave<A extends EventSourcedAggregate>(
    type: AggregateClass<A>,
    id: string,
    context: CommandContext,
    decide: (aggregate: A) => void,
  ): Promise<AppendResult> {
    const streamId = this.streamId(type, id);
    for (let attempt = 1; ; attempt += 1) {
      const aggregate = await this.load(type, id);
      const ifMatch = context.expectedVersion;
      if (ifMatch !== undefined && aggregate.version !== ifMatch) {
        throw new PreconditionFailed(streamId, ifMatch, aggregate.version);
      }
      decide(aggregate);
      try {
        return await this.save(aggregate, context);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (ifMatch !== undefined) throw new PreconditionFailed(streamId, ifMatch, error.actualVersion);
        if (attempt > this.options.commandRetries) throw new ConcurrencyConflict(streamId, attempt);
      }
    }
  }

  /**
   * With an Idempotency-Key, a repeat of a command answers with the first result and appends
   * nothing. The key is stored in the append's transaction, so a concurrent twin that loses the race
   * rolls back and answers with the winner's result too.
   */
  private async idempotently<A extends EventSourcedAggregate>(
    type: AggregateClass<A>,
    context: CommandContext,
    execute: () => Promise<AppendResult>,
  ): Promise<CommandResult> {
    const remembered = () => this.rememberedResult(type, context);
    const earlier = await remembered();
    if (earlier) return earlier;
    try {
      const result = await execute();
      return {
        aggregateId: result.streamId.slice(type.streamCategory.length + 1),
        version: result.version,
        position: result.positions.at(-1) ?? 0,
      };
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTaken)) throw error;
      const winner = await remembered();
      if (winner === undefined) throw error;
      return winner;
    }
  }

  private async rememberedResult<A extends EventSourcedAggregate>(
    type: AggregateClass<A>,
    context: CommandContext,
  ): Promise<CommandResult | undefined> {
    if (context.idempotency === undefined) return undefined;
    const record = await this.store.findIdempotencyRecord(context.idempotency.key, new Date());
    if (record === undefined) return undefined;
    if (record.fingerprint !== context.idempotency.fingerprint) throw new IdempotencyKeyReused(record.key);
    return {
      aggregateId: record.streamId.slice(type.streamCategory.length + 1),
      version: record.version,
      position: record.position,
    };
  }
}
