import { Injectable } from '@nestjs/common';
import { declaredEventTypes, declaredUpcasters, eventTypeOf } from './event-type';
import { assertMatchesSchema, eventSchemaChecksOn } from './event-schema';
import { UnknownEventType, UnstorableEvent } from './event-sourcing.errors';

export type EventData = Record<string, unknown>;

/**
 * JSON's escape of U+0000 or of a lone UTF-16 surrogate, not preceded by an escaped backslash (which would
 * make it literal text). JSON.stringify writes paired surrogates as the character itself and escapes only
 * lone ones, so any surrogate escape in its output is a lone one.
 */
const UNSTORABLE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

/**
 * Maps stored type names to event classes and back, and upcasts old versions on the way in (with the
 * upcasters declared next to the events, see declareUpcaster), so replayed events are real class
 * instances (`instanceof` and `ofType` work) of the current version.
 */
@Injectable()
export class EventTypeRegistry {
  /**
   * The stored form of a batch of events and their metadata, as JSON text. Refuses U+0000 and lone
   * surrogates, which PostgreSQL's jsonb cannot hold, on every engine alike.
   */
  toStoredJson(
    streamId: string,
    events: readonly object[],
    metadata: object,
  ): { rows: { type: string; data: string }[]; metadata: string } {
    const rows = events.map((event) => {
      const { type, data } = this.serialize(event);
      const json = JSON.stringify(data);
      if (eventSchemaChecksOn()) assertMatchesSchema(type, JSON.parse(json));
      return { type, data: json };
    });
    const metadataJson = JSON.stringify(metadata);
    if (UNSTORABLE_ESCAPE.test(metadataJson) || rows.some((row) => UNSTORABLE_ESCAPE.test(row.data))) {
      throw new UnstorableEvent(streamId);
    }
    return { rows, metadata: metadataJson };
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
    for (let upcaster = declaredUpcasters().get(type); upcaster; upcaster = declaredUpcasters().get(type)) {
      data = upcaster.upcast(data);
      type = upcaster.to;
    }
    const declared = declaredEventTypes().get(type);
    if (declared === undefined) throw new UnknownEventType(storedType);
    const instance: object = Object.create(declared.eventClass.prototype as object) as object;
    return Object.assign(instance, data);
  }
}
