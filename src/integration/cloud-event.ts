import type { RecordedEvent } from '../event-sourcing/event-store';
import type { EventTypeRegistry } from '../event-sourcing/event-type-registry';

/** `content-type` of one CloudEvent in structured JSON mode. */
export const CLOUDEVENT_MEDIA_TYPE = 'application/cloudevents+json';
/** `content-type` of a JSON array of CloudEvents. */
export const CLOUDEVENT_BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * A stored event as a CloudEvent 1.0 (JSON format). Extension attributes are lower-case letters and digits
 * only, as the specification requires; `traceparent` is the distributed-tracing extension's.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  /** The stream id, e.g. `order-<uuid>`. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
  /** The event's global position in the log. */
  position: number;
  streamversion: number;
  correlationid?: string;
  causationid?: string;
  traceparent?: string;
}

/** Type and data are those of the current event version (after upcasting), as in GET /events. */
export function toCloudEvent(recorded: RecordedEvent, registry: EventTypeRegistry, source: string): CloudEvent {
  const { type, data } = registry.serialize(recorded.event);
  const { correlationId, causationId, traceparent } = recorded.metadata;
  const cloudEvent: CloudEvent = {
    specversion: '1.0',
    id: recorded.eventId,
    source,
    type,
    subject: recorded.streamId,
    time: recorded.recordedAt.toISOString(),
    datacontenttype: 'application/json',
    data,
    position: recorded.position,
    streamversion: recorded.streamVersion,
  };
  if (typeof correlationId === 'string') cloudEvent.correlationid = correlationId;
  if (typeof causationId === 'string') cloudEvent.causationid = causationId;
  if (typeof traceparent === 'string' && TRACEPARENT.test(traceparent)) cloudEvent.traceparent = traceparent;
  return cloudEvent;
}
