import { TObject, Type } from '@sinclair/typebox';
import { CLOUDEVENT_MEDIA_TYPE, cloudEventSchema } from '../integration/cloud-event';
import { inboundCloudEventSchema } from '../integration/inbox/inbound-cloud-event';
import { sampleOf } from './event-samples';

/** What the catalog knows of the NATS JetStream integration, as this instance is configured. */
export interface BrokerCatalog {
  /** NATS_URL's servers; empty when it is unset. */
  servers: string[];
  subjectPrefix: string;
  stream: string;
  source: string;
  /**
   * The public event types (current versions) the outbox publishes, with an example of their data, and the
   * schema of that data when it is not the stored one (personal fields withheld).
   */
  published: { type: string; example: unknown; streamCategory: string; data?: TObject }[];
  inbound: { consumer: string; stream: string; subject: string; accepts: { type: string; data: TObject } }[];
}

interface AsyncApiParts {
  servers: Record<string, unknown>;
  channels: Record<string, unknown>;
  operations: Record<string, unknown>;
}

const NATS_DEFAULT_PORT = '4222';

/**
 * The broker's servers: one per NATS_URL entry, by host and port only, so credentials in the URL stay
 * out of a public document. Without NATS_URL a placeholder says that this instance talks to no broker.
 */
export function natsServers(urls: readonly string[]): Record<string, unknown> {
  if (urls.length === 0) {
    return {
      nats: {
        host: '{host}',
        protocol: 'nats',
        title: 'NATS JetStream (not configured)',
        description:
          'NATS_URL is not set on this instance, so it publishes and consumes nothing; `host` is a ' +
          'placeholder for the broker an instance with NATS_URL uses.',
        variables: { host: { default: `localhost:${NATS_DEFAULT_PORT}`, description: 'NATS_URL host and port' } },
      },
    };
  }
  return Object.fromEntries(
    urls.map((server, index) => {
      const url = new URL(server);
      return [
        index === 0 ? 'nats' : `nats-${index + 1}`,
        {
          host: url.port === '' ? `${url.host}:${NATS_DEFAULT_PORT}` : url.host,
          protocol: 'nats',
          title: 'NATS JetStream',
          description: url.protocol === 'tls:' ? 'Over TLS.' : 'From NATS_URL.',
        },
      ];
    }),
  );
}

/** A channel id or operation id for a subject-like name, unique and JSON-pointer safe. */
const id = (kind: string, name: string) => `${kind}.${name}`;

/**
 * The integration channels: one subject per public event type, on which the outbox sends each event as a
 * structured CloudEvent whose `data` is the type's current schema, and one per inbound consumer, whose
 * CloudEvents the service receives.
 */
export function brokerChannels(broker: BrokerCatalog): AsyncApiParts {
  const servers = natsServers(broker.servers);
  const onBroker = Object.keys(servers).map((server) => ({ $ref: `#/servers/${server}` }));
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const { type, example, streamCategory, data: published } of broker.published) {
    const channel = id('publish', type);
    const data = published ?? Type.Unsafe({ $ref: `#/components/schemas/${type}` });
    const payload = JSON.parse(JSON.stringify(cloudEventSchema(type, data, broker.source))) as unknown;
    channels[channel] = {
      address: `${broker.subjectPrefix}.${type}`,
      title: `${type} (NATS)`,
      description:
        `Every \`${type}\` event, published once it is stored, in the log's order, to JetStream stream ` +
        `\`${broker.stream}\`. The Nats-Msg-Id header is the event id: the stream drops a republished duplicate.` +
        (published === undefined ? '' : ' Its personal fields are not published, neither in plaintext nor encrypted.'),
      servers: onBroker,
      messages: {
        [type]: {
          name: type,
          title: `${type} as a CloudEvent`,
          contentType: CLOUDEVENT_MEDIA_TYPE,
          headers: {
            type: 'object',
            required: ['content-type', 'Nats-Msg-Id'],
            properties: {
              'content-type': { type: 'string', const: CLOUDEVENT_MEDIA_TYPE },
              'Nats-Msg-Id': { type: 'string', description: 'The event id' },
            },
          },
          payload,
          examples: [
            {
              name: 'example',
              payload: {
                specversion: '1.0',
                id: '2b1e4c7a-9d3f-4e6b-8a5c-1f0e2d3c4b5a',
                source: broker.source,
                type,
                subject: `${streamCategory}-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11`,
                time: '2026-12-01T12:00:00.000Z',
                datacontenttype: 'application/json',
                data: example,
                position: 42,
                streamversion: 1,
                correlationid: '7d4e1f2a-3b5c-4d6e-8f9a-0b1c2d3e4f5a',
              },
            },
          ],
        },
      },
      'x-jetstream-stream': broker.stream,
    };
    operations[id('send', type)] = {
      action: 'send',
      title: `Publish ${type}`,
      channel: { $ref: `#/channels/${channel}` },
      messages: [{ $ref: `#/channels/${channel}/messages/${type}` }],
    };
  }
  for (const { consumer, stream, subject, accepts } of broker.inbound) {
    const channel = id('consume', consumer);
    channels[channel] = {
      address: subject,
      title: `${subject} (NATS)`,
      description:
        `\`${accepts.type}\` CloudEvents from JetStream stream \`${stream}\`, read by the durable consumer ` +
        `\`${consumer}\`. A message that can never succeed (not a CloudEvent, another type, invalid data, ` +
        'refused by the domain) is parked for an operator; a repeated one (same `source` and `id`) is ' +
        'handled once.',
      servers: onBroker,
      messages: {
        [accepts.type]: {
          name: accepts.type,
          title: `${accepts.type} as a CloudEvent`,
          contentType: CLOUDEVENT_MEDIA_TYPE,
          payload: JSON.parse(JSON.stringify(inboundCloudEventSchema(accepts.type, accepts.data))) as unknown,
          examples: [
            {
              name: 'example',
              payload: {
                specversion: '1.0',
                id: 'a6c1d9e4-0f2b-4c3d-8e5f-6a7b8c9d0e1f',
                source: '/payments',
                type: accepts.type,
                data: sampleOf(accepts.data),
              },
            },
          ],
        },
      },
      'x-jetstream-stream': stream,
      'x-jetstream-consumer': consumer,
    };
    operations[id('receive', consumer)] = {
      action: 'receive',
      title: `Consume ${subject}`,
      channel: { $ref: `#/channels/${channel}` },
      messages: [{ $ref: `#/channels/${channel}/messages/${accepts.type}` }],
    };
  }
  return { servers, channels, operations };
}
