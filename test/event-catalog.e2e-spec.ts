import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import request from 'supertest';
import { declaredEventTypes, publicEventTypes } from '../src/event-sourcing/event-type';
import { publishedSchema } from '../src/integration/outbox/published-data';
import { PAYMENT_CAPTURED_DATA } from '../src/orders/inbound/payment-captured.handler';
import { startTestApp, TestApp } from './support/test-app';

interface Message {
  name: string;
  title: string;
  payload: { properties: { type: { const: string }; data: unknown } };
  examples: { payload: { type: string; data: unknown } }[];
  'x-aggregates': string[];
  'x-projections': string[];
  'x-sagas': string[];
  'x-upcast-to'?: string;
  'x-upcast-from': string[][];
}
interface Channel {
  address: string;
  servers?: { $ref: string }[];
  messages: Record<string, { $ref?: string; contentType?: string; payload?: CloudEventPayload }>;
}
interface CloudEventPayload {
  required?: string[];
  properties: Record<string, { const?: string; $ref?: string }>;
}
interface AsyncApi {
  asyncapi: string;
  servers: Record<string, { host: string; protocol: string; description?: string }>;
  channels: Record<string, Channel>;
  operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>;
  components: { messages: Record<string, Message> };
}

interface DataSchema {
  properties: Record<string, Record<string, unknown>>;
  'x-personal-data-subject'?: string;
}
interface PublishedMessage {
  payload?: CloudEventPayload;
  examples: { payload: { data: Record<string, unknown> } }[];
}

/** The public types that carry personal data, which the broker gets without it. */
const WITHHOLDING = ['order.placed.v3', 'shopping-cart.checked-out.v3'];

/** The schema as declared: the catalog's marks of personal fields taken off. */
function withoutPersonalDataMarks(schema: unknown): unknown {
  const { 'x-personal-data-subject': subject, ...rest } = schema as DataSchema & Record<string, unknown>;
  if (subject === undefined) return schema;
  const properties = Object.fromEntries(
    Object.entries(rest.properties).map(([field, property]) => {
      const { 'x-personal-data': _marked, description: _description, ...declared } = property;
      return [field, property['x-personal-data'] === true ? declared : property];
    }),
  );
  return { ...rest, properties };
}

const SUBJECT_PREFIX = 'acme.ledger';
const PAYMENTS_SUBJECT_PREFIX = 'acme.payments';

const SUPERSEDED = [
  'order.placed.v1',
  'order.placed.v2',
  'shopping-cart.checked-out.v1',
  'shopping-cart.checked-out.v2',
  'shopping-cart.opened.v1',
];
const PERSONAL = ['email', 'shippingAddress'];
/** Every declared type but the superseded ones; a generated context adds its own. */
const current = () => [...declaredEventTypes().keys()].filter((type) => !SUPERSEDED.includes(type)).sort();

describe('the event catalog', () => {
  let test: TestApp;
  let document: AsyncApi;
  const message = (type: string) => document.components.messages[type]!;

  beforeAll(async () => {
    // Without NATS_URL nothing connects to a broker; the subjects still follow the configured prefixes.
    test = await startTestApp({
      AUTH_MODE: 'jwt',
      AUTH_JWT_SECRET: 'a-secret-of-at-least-32-characters!!',
      NATS_SUBJECT_PREFIX: SUBJECT_PREFIX,
      NATS_PAYMENTS_SUBJECT_PREFIX: PAYMENTS_SUBJECT_PREFIX,
    });
    document = (await request(test.url).get('/asyncapi.json').expect(200)).body as AsyncApi;
  });
  afterAll(() => test.close());

  it('is an AsyncAPI 3.0 document the official parser accepts without errors or warnings', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
    // Information and hints, such as "a newer AsyncAPI version exists", are fine.
    const serious = [DiagnosticSeverity.Error, DiagnosticSeverity.Warning];
    expect(diagnostics.filter((d) => serious.includes(d.severity)).map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    expect(parsed?.version()).toBe('3.0.0');
    expect(
      parsed
        ?.components()
        .messages()
        .all()
        .map((parsedMessage) => parsedMessage.id())
        .sort(),
    ).toEqual([...declaredEventTypes().keys()].sort());
    const addresses = parsed
      ?.channels()
      .all()
      .map((channel) => channel.address());
    expect(addresses).toEqual(
      expect.arrayContaining([
        '/events/live',
        `${PAYMENTS_SUBJECT_PREFIX}.captured`,
        ...publicEventTypes().map((type) => `${SUBJECT_PREFIX}.${type}`),
      ]),
    );
  });

  it('has one message per registered event type and version, its data schema the declared one', () => {
    expect(Object.keys(document.components.messages).sort()).toEqual([...declaredEventTypes().keys()].sort());
    for (const [type, declared] of declaredEventTypes()) {
      expect(message(type).payload.properties.type.const).toBe(type);
      expect(withoutPersonalDataMarks(message(type).payload.properties.data)).toEqual(
        JSON.parse(JSON.stringify(declared.schema)),
      );
      expect(message(type).title).toBe(declared.eventClass.name);
      const example = message(type).examples[0]!.payload;
      expect(example.type).toBe(type);
      expect(TypeCompiler.Compile(declared.schema).Check(example.data)).toBe(true);
    }
  });

  it('marks the personal fields of the stored schemas, and only those', () => {
    for (const type of ['shopping-cart.checked-out.v3', 'order.placed.v3']) {
      const data = message(type).payload.properties.data as DataSchema;
      expect(data['x-personal-data-subject']).toBe('customerId');
      const marked = Object.keys(data.properties).filter(
        (field) => data.properties[field]!['x-personal-data'] === true,
      );
      expect({ type, marked }).toEqual({ type, marked: PERSONAL });
    }
    const unmarked = (message('order.paid.v1').payload.properties.data as DataSchema).properties;
    expect(Object.values(unmarked).some((property) => 'x-personal-data' in property)).toBe(false);
  });

  it('names the aggregate that emits each event and the projections and sagas that consume it', () => {
    expect(message('shopping-cart.opened.v2')).toMatchObject({
      'x-aggregates': ['ShoppingCart'],
      'x-projections': ['cart-details', 'customer-carts'],
      'x-sagas': [],
    });
    expect(message('shopping-cart.checked-out.v3')).toMatchObject({
      'x-aggregates': ['ShoppingCart'],
      'x-projections': ['cart-details', 'customer-carts'],
      'x-sagas': ['checkout-saga'],
    });
    expect(message('order.placed.v3')).toMatchObject({
      'x-aggregates': ['Order'],
      'x-projections': ['order-details'],
      'x-sagas': [],
    });
  });

  it('shows the upcaster chain from older versions, and feeds only the current ones live', () => {
    expect(message('shopping-cart.opened.v2')['x-upcast-from']).toEqual([['shopping-cart.opened.v1']]);
    expect(message('shopping-cart.opened.v1')['x-upcast-to']).toBe('shopping-cart.opened.v2');
    expect(message('order.placed.v3')['x-upcast-from']).toEqual([['order.placed.v1', 'order.placed.v2']]);
    expect(message('shopping-cart.item-added.v1')['x-upcast-from']).toEqual([]);
    const live = Object.values(document.channels).find((channel) => channel.address === '/events/live');
    expect(Object.keys(live!.messages).sort()).toEqual(current());
    expect(current()).toEqual(expect.arrayContaining(['shopping-cart.opened.v2', 'order.placed.v3']));
  });

  const channelAt = (address: string) => {
    const found = Object.entries(document.channels).find(([, channel]) => channel.address === address);
    expect(found).toBeDefined();
    return { id: found![0], channel: found![1] };
  };
  const operationsOn = (channelId: string) =>
    Object.values(document.operations).filter((operation) => operation.channel.$ref === `#/channels/${channelId}`);

  it('serves the live feed over HTTP and the integration channels on the NATS server, a placeholder here', () => {
    expect(document.servers.nats).toMatchObject({ host: '{host}', protocol: 'nats' });
    expect(document.servers.nats!.description).toContain('NATS_URL is not set');
    expect(channelAt('/events/live').channel.servers).toEqual([{ $ref: '#/servers/http' }]);
    expect(channelAt(`${PAYMENTS_SUBJECT_PREFIX}.captured`).channel.servers).toEqual([{ $ref: '#/servers/nats' }]);
  });

  it('has a channel per public event type on its subject, sending it as a CloudEvent of its current schema', () => {
    expect(publicEventTypes()).toEqual(
      expect.arrayContaining(['order.paid.v1', 'shopping-cart.checked-out.v3', 'customer.personal-data-erased.v1']),
    );
    const published = publicEventTypes().filter((type) => current().includes(type));
    for (const type of published) {
      const { id, channel } = channelAt(`${SUBJECT_PREFIX}.${type}`);
      expect(channel.servers).toEqual([{ $ref: '#/servers/nats' }]);
      expect(Object.keys(channel.messages)).toEqual([type]);
      const cloudEvent = channel.messages[type]!;
      expect(cloudEvent.contentType).toBe('application/cloudevents+json');
      expect(cloudEvent.payload!.properties).toMatchObject({
        specversion: { const: '1.0' },
        type: { const: type },
        source: { const: '/ledgerline' },
        datacontenttype: { const: 'application/json' },
      });
      if (!WITHHOLDING.includes(type)) {
        expect(cloudEvent.payload!.properties.data).toEqual({ $ref: `#/components/schemas/${type}` });
      }
      expect(cloudEvent.payload!.required).toEqual(
        expect.arrayContaining(['id', 'subject', 'time', 'position', 'streamversion']),
      );
      expect(operationsOn(id)).toEqual([
        {
          action: 'send',
          title: `Publish ${type}`,
          channel: { $ref: `#/channels/${id}` },
          messages: [{ $ref: `#/channels/${id}/messages/${type}` }],
        },
      ]);
    }
    const brokerChannels = Object.values(document.channels).filter((channel) =>
      channel.address.startsWith(`${SUBJECT_PREFIX}.`),
    );
    expect(brokerChannels.map((channel) => channel.address).sort()).toEqual(
      published.map((type) => `${SUBJECT_PREFIX}.${type}`),
    );
  });

  it('publishes checkouts and orders without their personal fields, in schema and example', () => {
    for (const type of WITHHOLDING) {
      const cloudEvent = channelAt(`${SUBJECT_PREFIX}.${type}`).channel.messages[type]! as PublishedMessage;
      const data = cloudEvent.payload!.properties.data as unknown as DataSchema & { additionalProperties: boolean };
      expect(Object.keys(data.properties)).toEqual(expect.arrayContaining(['customerId', 'lines', 'totalCents']));
      expect(Object.keys(data.properties)).not.toEqual(expect.arrayContaining(['email']));
      expect(Object.keys(data.properties)).not.toEqual(expect.arrayContaining(['shippingAddress']));
      expect(data.additionalProperties).toBe(false);
      const example = cloudEvent.examples[0]!.payload.data;
      expect(Object.keys(example)).not.toEqual(expect.arrayContaining(['email']));
      expect(Object.keys(example)).not.toEqual(expect.arrayContaining(['shippingAddress']));
      const published = publishedSchema(type, declaredEventTypes().get(type)!.schema);
      expect(data).toEqual(JSON.parse(JSON.stringify(published)));
      expect(TypeCompiler.Compile(published).Check(example)).toBe(true);
    }
  });

  it('receives payment.captured.v1 CloudEvents on the payments subject, with the data the adapter checks', () => {
    const { id, channel } = channelAt(`${PAYMENTS_SUBJECT_PREFIX}.captured`);
    const cloudEvent = channel.messages['payment.captured.v1']!;
    expect(cloudEvent.payload!.required).toEqual(
      expect.arrayContaining(['specversion', 'id', 'source', 'type', 'data']),
    );
    expect(cloudEvent.payload!.properties.type).toMatchObject({ const: 'payment.captured.v1' });
    expect(cloudEvent.payload!.properties.data).toEqual(JSON.parse(JSON.stringify(PAYMENT_CAPTURED_DATA)));
    expect(operationsOn(id)).toEqual([
      expect.objectContaining({
        action: 'receive',
        messages: [{ $ref: `#/channels/${id}/messages/payment.captured.v1` }],
      }),
    ]);
  });

  it('is open like /docs, and serves the stylesheet of the page from the installed component alone', async () => {
    const stylesheet = await request(test.url).get('/asyncapi/assets/default.min.css').expect(200);
    expect(stylesheet.headers['content-type']).toMatch(/^text\/css/);
    for (const other of ['standalone.js', '..%2Fpackage.json']) {
      const missing = await request(test.url).get(`/asyncapi/assets/${other}`).expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('is linked from the OpenAPI description', async () => {
    const openApi = (await request(test.url).get('/docs-json').expect(200)).body as { info: { description: string } };
    expect(openApi.info.description).toContain('(/asyncapi)');
  });
});
