import type { EventMetadata, RecordedEvent } from '../event-store';
import type { EventTypeRegistry } from '../event-type-registry';

/** A stored event as the HTTP API shows it. */
export interface EventView {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: string;
}

/** Type and data are those of the current event version (after upcasting), so they always agree. */
export function toEventView(recorded: RecordedEvent, registry: EventTypeRegistry): EventView {
  const { type, data } = registry.serialize(recorded.event);
  return {
    position: recorded.position,
    eventId: recorded.eventId,
    streamId: recorded.streamId,
    version: recorded.streamVersion,
    type,
    data,
    metadata: recorded.metadata,
    recordedAt: recorded.recordedAt.toISOString(),
  };
}
