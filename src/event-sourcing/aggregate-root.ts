import { AggregateRoot } from '@nestjs/cqrs';
import { EventClass, eventTypeOf } from './event-type';

const EVOLVERS = Symbol('ledgerline:evolvers');

type Evolver = (this: EventSourcedAggregate, event: object) => void;

/** An aggregate class as the event catalog names it. */
export interface AggregateIdentity {
  readonly name: string;
  readonly streamCategory?: string;
}

/** For each event type, the aggregate classes that evolve from it: those that emit it (the event catalog). */
const evolvingAggregates = new Map<string, Set<AggregateIdentity>>();

/**
 * Marks the method that evolves the aggregate's state from one event type. Dispatch goes by the
 * event's declared type name, so a renamed event class still finds its handler.
 */
export function On(eventClass: EventClass) {
  return (prototype: object, method: string | symbol): void => {
    const owner = prototype as Record<symbol, Map<string, string | symbol> | undefined>;
    const inherited = owner[EVOLVERS];
    const evolvers = new Map(inherited ?? []);
    const type = eventTypeOf(eventClass);
    evolvers.set(type, method);
    evolvingAggregates.set(type, (evolvingAggregates.get(type) ?? new Set()).add(prototype.constructor));
    Object.defineProperty(prototype, EVOLVERS, { value: evolvers, configurable: true });
  };
}

/** The aggregate classes with an `@On` handler for the event type, in the order they were declared. */
export function aggregatesEvolvedBy(type: string): AggregateIdentity[] {
  return [...(evolvingAggregates.get(type) ?? [])];
}

/** Snapshot every `every` events; bump `schemaVersion` whenever the snapshot state's shape changes. */
export interface SnapshotPolicy {
  every: number;
  schemaVersion: number;
}

export interface AggregateClass<A extends EventSourcedAggregate> {
  new (id: string): A;
  /** Prefix of the aggregate's stream ids, e.g. `shopping-cart` gives `shopping-cart-<id>`. */
  readonly streamCategory: string;
  /** Set, with snapshotState/restoreState, by aggregates whose streams grow long. */
  readonly snapshots?: SnapshotPolicy;
}

/**
 * Base of every event-sourced aggregate: an @nestjs/cqrs AggregateRoot that knows its id and
 * stream version. Methods decide and `apply` events; `@On` handlers only copy event data into
 * state (no checks, no clock, no I/O), so replaying the same events always yields the same state.
 */
export abstract class EventSourcedAggregate extends AggregateRoot<object> {
  private currentVersion = 0;
  private storedVersion = 0;

  constructor(readonly id: string) {
    super();
  }

  /** Events applied so far, stored or not: the stream version once they are saved. */
  get version(): number {
    return this.currentVersion;
  }

  /** The stream version this aggregate was loaded at or last saved at. */
  get persistedVersion(): number {
    return this.storedVersion;
  }

  override apply(event: object, options: boolean | { fromHistory?: boolean; skipHandler?: boolean } = false): void {
    super.apply(event, typeof options === 'boolean' ? { fromHistory: options } : options);
    this.currentVersion += 1;
  }

  /** Replays stored history, e.g. after a load; the result counts as persisted. */
  replay(history: readonly object[]): void {
    for (const event of history) this.apply(event, true);
    this.storedVersion = this.currentVersion;
  }

  /** Resumes from a snapshot taken at `version`; the events after it are replayed next. */
  restoreSnapshot(state: unknown, version: number): void {
    this.restoreState(state);
    this.currentVersion = version;
    this.storedVersion = version;
  }

  /** The state to snapshot: plain JSON that restoreState turns back into exactly this state. */
  takeSnapshot(): unknown {
    return this.snapshotState();
  }

  protected snapshotState(): unknown {
    throw new Error(`${this.constructor.name} declares no snapshot state`);
  }

  protected restoreState(_state: unknown): void {
    throw new Error(`${this.constructor.name} cannot restore a snapshot`);
  }

  /** Called by the repository once the uncommitted events are stored. */
  markPersisted(version: number): void {
    this.storedVersion = version;
  }

  protected override getEventHandler(event: object): ReturnType<AggregateRoot['getEventHandler']> {
    const evolvers = (this as unknown as Record<symbol, Map<string, string | symbol> | undefined>)[EVOLVERS];
    const method = evolvers?.get(eventTypeOf(event));
    if (method === undefined) return undefined;
    const evolver = (this as unknown as Record<string | symbol, Evolver>)[method];
    // AggregateRoot types its handlers as classes but only ever calls them as methods on `this`.
    return evolver as unknown as ReturnType<AggregateRoot['getEventHandler']>;
  }
}
