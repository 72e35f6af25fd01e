import type { Static, TObject } from '@sinclair/typebox';

/**
 * Stable names for event classes. The stored name is declared, never derived from `constructor.name`,
 * so renaming a class or minifying the build cannot orphan stored history. The same declaration gives
 * the JSON Schema of the event's data, which the compiler holds the class to (every field in the schema,
 * of its type) and which the tests check every appended event against (nothing more, nothing less).
 */
const EVENT_TYPE = Symbol('ledgerline:event-type');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event constructors take any payload
export type EventClass<E extends object = object> = abstract new (...args: any[]) => E;

export interface DeclaredEventType {
  name: string;
  eventClass: EventClass;
  /** The JSON Schema of the event's stored data. */
  schema: TObject;
}

/** How an event stored under an older version is read as the next one. */
export interface DeclaredUpcaster {
  from: string;
  to: string;
  upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

export interface EventTypeOptions {
  /**
   * Part of the context's published language: other services may rely on it, so it leaves the service as
   * an integration event (see `integration/outbox/`). Internal events stay inside.
   */
  public?: boolean;
}

const declared = new Map<string, DeclaredEventType>();
const upcasters = new Map<string, DeclaredUpcaster>();
const published = new Set<string>();

/**
 * Declares the stored type name of an event class, e.g. `shopping-cart.item-added.v1`, and the schema of
 * its data: build it with `eventData({...})` so that it refuses fields it does not name.
 */
export function EventType<S extends TObject>(name: string, schema: S, options: EventTypeOptions = {}) {
  return (target: EventClass<Static<S>>): void => {
    if (!/^[a-z0-9][a-z0-9.-]*\.v\d+$/.test(name)) {
      throw new Error(`Event type "${name}" must be dotted kebab-case ending in a version, e.g. "cart.opened.v1"`);
    }
    const existing = declared.get(name);
    if (existing !== undefined && existing.eventClass !== target) {
      throw new Error(`Event type "${name}" is declared by both ${existing.eventClass.name} and ${target.name}`);
    }
    Object.defineProperty(target, EVENT_TYPE, { value: name });
    declared.set(name, { name, eventClass: target, schema });
    if (options.public === true) published.add(name);
  };
}

/** The declared type name of an event class or instance; throws if it has none. */
export function eventTypeOf(eventOrClass: object): string {
  const target = typeof eventOrClass === 'function' ? eventOrClass : eventOrClass.constructor;
  const name = (target as unknown as Record<symbol, unknown>)[EVENT_TYPE];
  if (typeof name !== 'string') {
    throw new Error(`${target.name} has no @EventType(...) declaration`);
  }
  return name;
}

/** Every event type declared so far in this process, by stored name. */
export function declaredEventTypes(): ReadonlyMap<string, DeclaredEventType> {
  return declared;
}

/** Whether events of this type name are published to other services. */
export function isPublicEventType(name: string): boolean {
  return published.has(name);
}

/** The public event type names declared so far in this process, sorted. */
export function publicEventTypes(): string[] {
  return [...published].sort();
}

/**
 * Declares that events stored as `from` (an older version, kept as a class for its name and schema) are
 * read as `to`: every reader (aggregates, projections, sagas, the HTTP history and feeds) sees only `to`.
 * Stored rows are never rewritten. Chains (v1 → v2 → v3) run one step at a time.
 */
export function declareUpcaster<A extends object, B extends object>(
  from: EventClass<A>,
  to: EventClass<B>,
  upcast: (event: A) => B,
): void {
  const fromType = eventTypeOf(from);
  if (upcasters.has(fromType)) throw new Error(`An upcaster for "${fromType}" is already declared`);
  upcasters.set(fromType, {
    from: fromType,
    to: eventTypeOf(to),
    upcast: (data) => ({ ...upcast(data as A) }) as Record<string, unknown>,
  });
}

/** Every upcaster declared so far, by the type it reads. */
export function declaredUpcasters(): ReadonlyMap<string, DeclaredUpcaster> {
  return upcasters;
}
