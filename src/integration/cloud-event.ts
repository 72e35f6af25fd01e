import { TObject, TSchema, Type } from '@sinclair/typebox';
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

/**
 * The JSON Schema of the CloudEvents `toCloudEvent` makes for one event type, as the event catalog
 * describes them: `data` is that type's schema, `source` this instance's NATS_SOURCE.
 */
export function cloudEventSchema(type: string, data: TSchema, source: string): TObject {
  return Type.Object(
    {
      specversion: Type.Literal('1.0'),
      id: Type.String({ description: "The event's id (a UUID), also the Nats-Msg-Id header" }),
      source: Type.Literal(source, { description: 'NATS_SOURCE' }),
      type: Type.Literal(type),
      subject: Type.String({ description: 'The stream id, <stream category>-<aggregate id>' }),
      time: Type.String({ description: 'When the event was stored (RFC 3339)' }),
      datacontenttype: Type.Literal('application/json'),
      data,
      position: Type.Integer({ minimum: 1, description: "The event's global position in the log" }),
      streamversion: Type.Integer({ minimum: 1, description: 'The version within its stream' }),
      correlationid: Type.Optional(Type.String({ description: 'Of the command that caused the event' })),
      causationid: Type.Optional(Type.String({ description: 'Of the command that caused the event' })),
      traceparent: Type.Optional(
        Type.String({ pattern: TRACEPARENT.source, description: 'W3C trace context of that command' }),
      ),
    },
    { additionalProperties: false },
  );
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
