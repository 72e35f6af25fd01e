import type { DeclaredEventType } from '../event-sourcing/event-type';
import { personalDataOf } from '../event-sourcing/personal-data/personal-data';
import { BrokerCatalog, brokerChannels } from './broker-channels';

/** What the catalog knows of one declared event type. */
export interface CatalogEntry {
  declared: DeclaredEventType;
  /** The aggregates that emit it (their `@On` handlers evolve from it). */
  emittedBy: { name: string; streamCategory?: string }[];
  /** Projections and sagas that consume it, by subscription name. */
  projections: string[];
  sagas: string[];
  /** The type it is read as (one step), for a superseded version. */
  upcastTo?: string;
  /** Older types read as this one, oldest first, with their steps. */
  upcastFrom: string[][];
  /** A valid example of its data. */
  example: unknown;
}

export const LIVE_CHANNEL = 'liveEvents';
const HTTP_SERVER = 'http';

const METADATA = {
  type: 'object',
  description: 'Tracing and audit data of the command that caused the event',
  properties: {
    correlationId: { type: 'string' },
    causationId: { type: 'string' },
    commandId: { type: 'string' },
    actor: { type: 'string', description: "The token's subject, with AUTH_MODE=jwt" },
  },
  additionalProperties: true,
};

/** The event as `GET /events` and each `data:` of `GET /events/live` carry it, with this type's data. */
function envelope(type: string, data: object): object {
  return {
    type: 'object',
    required: ['position', 'eventId', 'streamId', 'version', 'type', 'data', 'metadata', 'recordedAt'],
    properties: {
      position: { type: 'integer', minimum: 1, description: "Global position in the log; the SSE event's id" },
      eventId: { type: 'string', format: 'uuid' },
      streamId: { type: 'string', description: '<stream category>-<aggregate id>' },
      version: { type: 'integer', minimum: 1, description: 'The version within its stream' },
      type: { type: 'string', const: type },
      data,
      metadata: METADATA,
      recordedAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  };
}

/**
 * The stored schema, with each declared personal field marked `x-personal-data: true`: stored encrypted under
 * the subject's key, read as null once erased, never published.
 */
function withPersonalDataMarked({ eventClass, schema }: DeclaredEventType): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(schema)) as { properties: Record<string, Record<string, unknown>> };
  const personal = personalDataOf(eventClass);
  if (personal === undefined) return copy;
  for (const field of personal.fields) {
    const property = copy.properties[field];
    if (property === undefined) continue;
    property['x-personal-data'] = true;
    property.description = `Personal data of the subject \`${personal.subject}\`: stored encrypted, read as null once erased, not published.`;
  }
  return { ...copy, 'x-personal-data-subject': personal.subject };
}

function describe(entry: CatalogEntry): string {
  const { name } = entry.declared;
  const lines: string[] = [];
  const emitters = entry.emittedBy.map((aggregate) => `\`${aggregate.name}\``).join(', ');
  if (emitters !== '')
    lines.push(entry.upcastTo === undefined ? `Emitted by ${emitters}.` : `Was emitted by ${emitters}.`);
  if (entry.upcastTo !== undefined) {
    lines.push(
      `Superseded: stored events of this version are read as \`${entry.upcastTo}\` by a registered upcaster, so ` +
        'no reader, feed or projection ever sees this shape; it describes what older rows hold.',
    );
  }
  for (const chain of entry.upcastFrom)
    lines.push(`Older stored versions read as this one: ${chain.join(' → ')} → ${name}.`);
  const consumers = [
    ...entry.projections.map((projection) => `projection \`${projection}\``),
    ...entry.sagas.map((saga) => `saga \`${saga}\``),
  ];
  const personal = personalDataOf(entry.declared.eventClass);
  if (personal !== undefined) {
    lines.push(
      `Personal data of its \`${personal.subject}\`: ${personal.fields.map((field) => `\`${field}\``).join(', ')}, ` +
        "stored encrypted under that subject's key, read as null (with `erased: true`) once erased, and withheld " +
        'from the broker.',
    );
  }
  const as = entry.upcastTo === undefined ? '' : `, as its current version,`;
  if (consumers.length > 0) lines.push(`Consumed${as} by ${consumers.join(', ')}.`);
  return lines.join('\n\n');
}

/** The stream id an example of the type shows: its aggregate's stream category, else its first token. */
export function exampleStreamCategory(entry: CatalogEntry): string {
  return entry.emittedBy[0]?.streamCategory ?? entry.declared.name.split('.')[0]!;
}

/**
 * The AsyncAPI 3.0 document of the event log: one message per declared event type and version (its data's
 * JSON Schema, the aggregate that emits it, the projections and sagas that consume it, its upcasters),
 * the live SSE feed as a channel carrying the current versions, and the NATS subjects the public events
 * are published to and the inbound CloudEvents are read from.
 */
export function asyncApiDocument(
  entries: readonly CatalogEntry[],
  version: string,
  broker: BrokerCatalog,
): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const entry of entries) {
    const { name, eventClass } = entry.declared;
    const schema = withPersonalDataMarked(entry.declared);
    schemas[name] = schema;
    messages[name] = {
      name,
      title: eventClass.name,
      summary: `${name}: ${eventClass.name}`,
      description: describe(entry),
      contentType: 'application/json',
      payload: envelope(name, schema),
      tags: entry.emittedBy.map((aggregate) => ({ name: aggregate.name })),
      examples: [
        {
          name: 'example',
          payload: {
            position: 42,
            eventId: '2b1e4c7a-9d3f-4e6b-8a5c-1f0e2d3c4b5a',
            streamId: `${exampleStreamCategory(entry)}-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11`,
            version: 1,
            type: name,
            data: entry.example,
            metadata: { correlationId: '7d4e1f2a-3b5c-4d6e-8f9a-0b1c2d3e4f5a' },
            recordedAt: '2026-12-01T12:00:00.000Z',
          },
        },
      ],
      'x-aggregates': entry.emittedBy.map((aggregate) => aggregate.name),
      'x-projections': entry.projections,
      'x-sagas': entry.sagas,
      ...(entry.upcastTo !== undefined && { 'x-upcast-to': entry.upcastTo }),
      'x-upcast-from': entry.upcastFrom,
    };
  }
  const current = entries.filter((entry) => entry.upcastTo === undefined).map((entry) => entry.declared.name);
  const channelMessages = Object.fromEntries(current.map((name) => [name, { $ref: `#/components/messages/${name}` }]));
  const integration = brokerChannels(broker);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Ledgerline events',
      version,
      description:
        'Every event type the service stores, generated at start from the declared event classes. ' +
        'Readers only ever see the current version of each type: older stored versions are upcast on the ' +
        'way out and are listed for reference. The same events are served page by page by `GET /events` ' +
        '(see the OpenAPI document at `/docs`).',
    },
    defaultContentType: 'application/json',
    servers: {
      [HTTP_SERVER]: {
        host: '{host}',
        protocol: 'http',
        title: 'This service',
        description: 'The HTTP API; `host` is where this instance listens (PORT).',
        variables: { host: { default: 'localhost:3000', description: 'Host and port of the service' } },
      },
      ...integration.servers,
    },
    channels: {
      [LIVE_CHANNEL]: {
        address: '/events/live',
        title: 'Live event feed',
        description:
          'Server-Sent Events over HTTP GET: one `data:` line per committed event, its `id:` the position. ' +
          'Resume with `Last-Event-ID` or `?after=<position>`.',
        servers: [{ $ref: `#/servers/${HTTP_SERVER}` }],
        messages: channelMessages,
      },
      ...integration.channels,
    },
    operations: {
      receiveLiveEvents: {
        action: 'receive',
        title: 'Follow the event log',
        channel: { $ref: `#/channels/${LIVE_CHANNEL}` },
        messages: current.map((name) => ({ $ref: `#/channels/${LIVE_CHANNEL}/messages/${name}` })),
      },
      ...integration.operations,
    },
    components: { schemas, messages },
  };
}
