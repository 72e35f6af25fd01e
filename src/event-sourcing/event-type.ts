/**
 * Stable names for event classes. The stored name is declared, never derived from `constructor.name`,
 * so renaming a class or minifying the build cannot orphan stored history.
 */
const EVENT_TYPE = Symbol('ledgerline:event-type');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event constructors take any payload
export type EventClass<E extends object = object> = abstract new (...args: any[]) => E;

const declared = new Map<string, EventClass>();
const published = new Set<string>();

export interface EventTypeOptions {
  /**
   * Part of the context's published language: other services may rely on it, so it leaves the service as
   * an integration event (see `publishing/`). Internal events stay inside.
   */
  public?: boolean;
}

/** Declares the stored type name of an event class, e.g. `shopping-cart.item-added.v1`. */
export function EventType(name: string, options: EventTypeOptions = {}) {
  return (target: EventClass): void => {
    if (!/^[a-z0-9][a-z0-9.-]*\.v\d+$/.test(name)) {
      throw new Error(`Event type "${name}" must be dotted kebab-case ending in a version, e.g. "cart.opened.v1"`);
    }
    const existing = declared.get(name);
    if (existing !== undefined && existing !== target) {
      throw new Error(`Event type "${name}" is declared by both ${existing.name} and ${target.name}`);
    }
    Object.defineProperty(target, EVENT_TYPE, { value: name });
    declared.set(name, target);
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

/** Every event class declared so far in this process. */
export function declaredEventTypes(): ReadonlyMap<string, EventClass> {
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
