import type { TObject } from '@sinclair/typebox';
import type { DeclaredEventType } from '../event-sourcing/event-type';
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
function envelope(type: string, data: TObject): object {
  return {
    type: 'object',
    required: ['position', 'eventId', 'streamId', 'version', 'type', 'data', 'metadata', 'recordedAt'],
    properties: {
      position: { type: 'integer', minimum: 1, description: "Global position in the log; the SSE event's id" },
      eventId: { type: 'string', format: 'uuid' },
      streamId: { type: 'string', description: '<stream category>-<aggregate id>' },
      version: { type: 'integer', minimum: 1, description: 'The version within its stream' },
      type: { type: 'string', const: type },
      data: JSON.parse(JSON.stringify(data)) as object,
      metadata: METADATA,
      recordedAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  };
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
    const { name, eventClass, schema } = entry.declared;
    schemas[name] = JSON.parse(JSON.stringify(schema)) as unknown;
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
