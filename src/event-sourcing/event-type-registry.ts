import { Injectable } from '@nestjs/common';
import { declaredEventTypes, EventClass, eventTypeOf } from './event-type';
import { UnknownEventType } from './event-sourcing.errors';

export type EventData = Record<string, unknown>;

/** Turns an older stored shape into the next version's type and data. */
export type Upcaster = (data: EventData) => { type: string; data: EventData };

/**
 * Maps stored type names to event classes and back, and upcasts old versions on the way in, so
 * replayed events are real class instances (`instanceof` and `ofType` work) of the current version.
 */
@Injectable()
export class EventTypeRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  /** Registers how to read events stored under `fromType` (an older version). */
  registerUpcaster(fromType: string, upcaster: Upcaster): void {
    if (this.upcasters.has(fromType)) throw new Error(`An upcaster for "${fromType}" is already registered`);
    this.upcasters.set(fromType, upcaster);
  }

  typeOf(event: object): string {
    return eventTypeOf(event);
  }

  serialize(event: object): { type: string; data: EventData } {
    return { type: eventTypeOf(event), data: { ...event } };
  }

  /**
   * Rebuilds the event without running its constructor: constructors may validate or default fields,
   * and history must come back exactly as it was recorded.
   */
  deserialize(storedType: string, storedData: EventData): object {
    let type = storedType;
    let data = storedData;
    for (let upcaster = this.upcasters.get(type); upcaster; upcaster = this.upcasters.get(type)) {
      ({ type, data } = upcaster(data));
    }
    const eventClass: EventClass | undefined = declaredEventTypes().get(type);
    if (eventClass === undefined) throw new UnknownEventType(storedType);
    const instance: object = Object.create(eventClass.prototype as object) as object;
    return Object.assign(instance, data);
  }
}
