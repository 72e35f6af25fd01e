import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventPublisher } from '@nestjs/cqrs';
import { AggregateClass, EventSourcedAggregate, SnapshotPolicy } from './aggregate-root';
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
import { SnapshotStore } from './snapshots/snapshot-store';
import { RecentAggregates } from './recent-aggregates';
import { annotateActiveSpan, tracingActive } from '../observability/tracing/spans';

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
  /**
   * Aggregates as this process last saved them, so the next command on a busy stream needs no read.
   * Safe because every save still checks the expected version: if another process moved the stream,
   * the append fails and the command is re-decided on a fresh load. Taken out while in use, and only put
   * back after a successful save, so a failed decision never leaves a half-changed aggregate behind.
   */
  private readonly recent: RecentAggregates;

  private readonly logger = new Logger(AggregateRepository.name);

  constructor(
    private readonly store: EventStore,
    private readonly snapshots: SnapshotStore,
    private readonly publisher: EventPublisher,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
  ) {
    this.recent = new RecentAggregates(options.aggregateCacheSize);
  }

  /** The type's snapshot policy, unless SNAPSHOT_EVERY turns it off (0) or changes its interval. */
  private snapshotPolicy<A extends EventSourcedAggregate>(type: AggregateClass<A>): SnapshotPolicy | undefined {
    const every = this.options.snapshotEvery[type.streamCategory] ?? type.snapshots?.every ?? 0;
    return every > 0 && type.snapshots !== undefined ? { ...type.snapshots, every } : undefined;
  }

  streamId<A extends EventSourcedAggregate>(type: AggregateClass<A>, id: string): string {
    return `${type.streamCategory}-${id}`;
  }

  /**
   * The aggregate at its latest version, or at `toVersion` (time travel): from its snapshot when it has a
   * usable one (same schema, not past `toVersion`), then the events after it.
   */
  async load<A extends EventSourcedAggregate>(
    type: AggregateClass<A>,
    id: string,
    { toVersion }: { toVersion?: number } = {},
  ): Promise<A> {
    const streamId = this.streamId(type, id);
    const aggregate = new type(id);
    const policy = this.snapshotPolicy(type);
    const snapshot = policy === undefined ? undefined : await this.snapshots.load(streamId);
    let from = 1;
    if (
      snapshot !== undefined &&
      snapshot.schemaVersion === policy?.schemaVersion &&
      (toVersion === undefined || snapshot.version <= toVersion)
    ) {
      aggregate.restoreSnapshot(snapshot.state, snapshot.version);
      from = snapshot.version + 1;
    }
    const history = await this.store.readStream(streamId, { fromVersion: from, toVersion });
    const reached = from - 1 + history.length;
    if (reached === 0) throw new AggregateNotFound(type.name, id);
    if (toVersion !== undefined && reached < toVersion) throw new VersionNotFound(type.name, id, toVersion, reached);
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
    const before = aggregate.persistedVersion;
    aggregate.markPersisted(result.version);
    this.publisher.mergeObjectContext(aggregate).commit();
    await this.snapshotIfDue(type, aggregate, before);
    return result;
  }

  /** Snapshots the aggregate at its current version now (after a bulk import, say), if its type has snapshots. */
  async snapshot<A extends EventSourcedAggregate>(type: AggregateClass<A>, id: string): Promise<void> {
    const policy = this.snapshotPolicy(type);
    if (policy === undefined) throw new Error(`${type.name} has no snapshot policy`);
    const aggregate = await this.load(type, id);
    await this.snapshots.save({
      streamId: this.streamId(type, id),
      version: aggregate.version,
      schemaVersion: policy.schemaVersion,
      state: aggregate.takeSnapshot(),
    });
  }

  /** Snapshots when the save crossed a multiple of the policy's interval. A failure only costs replay time. */
  private async snapshotIfDue(
    type: AggregateClass<EventSourcedAggregate>,
    aggregate: EventSourcedAggregate,
    before: number,
  ): Promise<void> {
    const policy = this.snapshotPolicy(type);
    if (policy === undefined || Math.floor(aggregate.version / policy.every) === Math.floor(before / policy.every))
      return;
    try {
      await this.snapshots.save({
        streamId: this.streamId(type, aggregate.id),
        version: aggregate.version,
        schemaVersion: policy.schemaVersion,
        state: aggregate.takeSnapshot(),
      });
    } catch (error) {
      this.logger.warn(`Snapshot of ${this.streamId(type, aggregate.id)} failed: ${String(error)}`);
    }
  }

  /** Stores a new aggregate; its stream must not exist yet. */
  create(aggregate: EventSourcedAggregate, context: CommandContext): Promise<CommandResult> {
    const type = aggregate.constructor as AggregateClass<EventSourcedAggregate>;
    if (tracingActive()) annotateActiveSpan('ledgerline.aggregate', this.streamId(type, aggregate.id));
    return this.idempotently(type, context, async () => {
      try {
        const result = await this.save(aggregate, context, NO_STREAM);
        this.recent.keep(this.streamId(type, aggregate.id), aggregate);
        return result;
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
    annotateActiveSpan('ledgerline.aggregate', streamId);
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
    const ifMatch = context.expectedVersion;
    let remembered = true;
    for (let attempt = 1; ; attempt += 1) {
      let aggregate = remembered ? (this.recent.take(streamId) as A | undefined) : undefined;
      // A remembered aggregate may be behind another process's writes: never refuse If-Match on its word.
      if (aggregate === undefined || (ifMatch !== undefined && aggregate.version !== ifMatch)) {
        aggregate = await this.load(type, id);
        remembered = false;
      }
      if (ifMatch !== undefined && aggregate.version !== ifMatch) {
        throw new PreconditionFailed(streamId, ifMatch, aggregate.version);
      }
      try {
        decide(aggregate);
      } catch (error) {
        // A refusal is only true of the current state. A success decided on a stale copy is caught by the
        // expected version on append; a refusal is not, so check the stream before answering it.
        if (!remembered || (await this.store.streamVersion(streamId)) === aggregate.persistedVersion) throw error;
        remembered = false;
        continue;
      }
      try {
        const result = await this.save(aggregate, context);
        this.recent.keep(streamId, aggregate);
        return result;
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
    const { scope, key } = context.idempotency;
    const record = await this.store.findIdempotencyRecord(scope, key, new Date());
    if (record === undefined) return undefined;
    if (record.fingerprint !== context.idempotency.fingerprint) throw new IdempotencyKeyReused(record.key);
    return {
      aggregateId: record.streamId.slice(type.streamCategory.length + 1),
      version: record.version,
      position: record.position,
    };
  }
}
