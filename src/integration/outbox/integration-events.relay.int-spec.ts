import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { StoredMsg } from '@nats-io/jetstream';
import { Type } from '@sinclair/typebox';
import type { TestingModule } from '@nestjs/testing';
import { natsConfig, readNatsConfig } from '../../config/nats.config';
import { ANY_VERSION, EventStore } from '../../event-sourcing/event-store';
import { eventData } from '../../event-sourcing/event-schema';
import { EventType } from '../../event-sourcing/event-type';
import { SubscriptionRunner } from '../../event-sourcing/subscriptions/subscription-runner';
import { createEventSourcingTestModule } from '../../event-sourcing/testing/event-sourcing-test-module';
import { IsolatedDatabase, isolatedDatabase } from '../../event-sourcing/testing/test-database';
import { SubscriptionStore } from '../../event-sourcing/typeorm/subscription-store';
import { Transactions } from '../../event-sourcing/typeorm/transactions';
import { eventually } from '../../../test/support/eventually';
import type { CloudEvent } from '../cloud-event';
import { BrokerMisconfigured, NatsConnection } from '../nats-connection';
import { JetStreamProbe } from '../testing/jetstream-messages';
import { MACHINE_NATS_URL, NatsTestServer, uniqueName } from '../testing/nats-test-server';
import { CartCheckedOut } from '../../shopping-carts/domain/shopping-cart.events';
import { INTEGRATION_EVENTS, IntegrationEventsRelay } from './integration-events.relay';

@EventType('outbox-test.parcel-sent.v1', eventData({ parcelId: Type.String(), grams: Type.Integer() }), {
  public: true,
})
class ParcelSent {
  constructor(
    readonly parcelId: string,
    readonly grams: number,
  ) {}
}

@EventType('outbox-test.parcel-weighed.v1', eventData({ grams: Type.Integer() }))
class ParcelWeighed {
  constructor(readonly grams: number) {}
}

interface Outbox {
  module: TestingModule;
  store: EventStore;
  runner: SubscriptionRunner;
  close(): Promise<void>;
}

describe('the outbox to NATS JetStream', () => {
  let probe: JetStreamProbe;
  const streams: string[] = [];
  const opened: Outbox[] = [];

  beforeAll(async () => {
    probe = await JetStreamProbe.connect(MACHINE_NATS_URL);
  });
  afterEach(async () => {
    for (const outbox of opened.splice(0)) await outbox.close();
  });
  afterAll(async () => {
    await probe.deleteStreams(...streams);
    await probe.close();
  });

  /** Our own stream names and subjects, so tests never see each other's messages. */
  function brokerSettings(url = MACHINE_NATS_URL): Record<string, string> {
    const stream = uniqueName('OUTBOX');
    const payments = uniqueName('PAY');
    streams.push(stream, payments);
    return {
      NATS_URL: url,
      NATS_STREAM: stream,
      NATS_SUBJECT_PREFIX: uniqueName('outbox'),
      NATS_PAYMENTS_STREAM: payments,
      NATS_PAYMENTS_SUBJECT_PREFIX: uniqueName('payments'),
      NATS_SOURCE: '/ledgerline-test',
    };
  }

  async function start(env: Record<string, string>, database?: IsolatedDatabase, paused = false): Promise<Outbox> {
    const test = await createEventSourcingTestModule(
      {
        providers: [{ provide: natsConfig.KEY, useValue: readNatsConfig(env) }, NatsConnection, IntegrationEventsRelay],
      },
      { pollIntervalMs: 100, pausedSubscriptions: paused ? [INTEGRATION_EVENTS] : [] },
      database,
    );
    const outbox = { store: test.module.get(EventStore), runner: test.module.get(SubscriptionRunner), ...test };
    opened.push(outbox);
    return outbox;
  }

  const cloudEvents = (messages: StoredMsg[]) => messages.map((message) => message.json<CloudEvent>());

  it('publishes public events in the log order as CloudEvents, with the event id as message id', async () => {
    const env = brokerSettings();
    const { store, runner } = await start(env);
    await store.append('parcel-1', ANY_VERSION, [new ParcelSent('p-1', 500), new ParcelWeighed(510)], {
      metadata: {
        correlationId: 'c-1',
        causationId: 'cause-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    });
    const last = await store.append('parcel-2', ANY_VERSION, [new ParcelSent('p-2', 700)]);
    await runner.waitFor(INTEGRATION_EVENTS, last.positions[0]!);

    const messages = await probe.messages(env.NATS_STREAM!);
    const [first, second] = await store.readAll(0, 10);
    expect(messages.map((message) => message.subject)).toEqual([
      `${env.NATS_SUBJECT_PREFIX}.outbox-test.parcel-sent.v1`,
      `${env.NATS_SUBJECT_PREFIX}.outbox-test.parcel-sent.v1`,
    ]);
    expect(messages.map((message) => message.header.get('Nats-Msg-Id'))).toEqual([
      first!.eventId,
      (await store.readStream('parcel-2'))[0]!.eventId,
    ]);
    expect(messages[0]!.header.get('content-type')).toBe('application/cloudevents+json');
    expect(cloudEvents(messages)[0]).toEqual({
      specversion: '1.0',
      id: first!.eventId,
      source: '/ledgerline-test',
      type: 'outbox-test.parcel-sent.v1',
      subject: 'parcel-1',
      time: first!.recordedAt.toISOString(),
      datacontenttype: 'application/json',
      data: { parcelId: 'p-1', grams: 500 },
      position: first!.position,
      streamversion: 1,
      correlationid: 'c-1',
      causationid: 'cause-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(second!.type).toBe('outbox-test.parcel-weighed.v1');
    expect(cloudEvents(messages)[1]).not.toHaveProperty('traceparent');
  });

  it('withholds personal fields from what it publishes, while the stored event keeps them', async () => {
    const env = brokerSettings();
    const { store, runner } = await start(env);
    const address = { name: 'Ann', line1: '1 Secret Street', postalCode: '10115', city: 'Berlin', country: 'DE' };
    const lines = [{ productId: 'shoes', quantity: 1, unitPriceCents: 100 }];
    const checkout = new CartCheckedOut('cart-1', 'ann', lines, 100, 'EUR', 'ann@example.com', address);
    const { positions } = await store.append('shopping-cart-cart-1', ANY_VERSION, [checkout]);
    await runner.waitFor(INTEGRATION_EVENTS, positions[0]!);

    const [stored] = await store.readStream('shopping-cart-cart-1');
    expect(stored!.event).toMatchObject({ email: 'ann@example.com', shippingAddress: address });
    const messages = await probe.messages(env.NATS_STREAM!);
    expect(messages.map((message) => message.subject)).toEqual([
      `${env.NATS_SUBJECT_PREFIX}.shopping-cart.checked-out.v3`,
    ]);
    expect(cloudEvents(messages)[0]!.data).toEqual({
      cartId: 'cart-1',
      customerId: 'ann',
      lines,
      totalCents: 100,
      currency: 'EUR',
    });
    const raw = new TextDecoder().decode(messages[0]!.data);
    for (const secret of ['ann@example.com', 'Secret Street', 'email', 'shippingAddress', 'erased']) {
      expect(raw).not.toContain(secret);
    }
  });

  it('publishes nothing twice after a crash between publishing and storing the checkpoint', async () => {
    const env = brokerSettings();
    const database = isolatedDatabase();
    try {
      const before = await start(env, database);
      await before.store.append('parcel-3', ANY_VERSION, [new ParcelSent('p-3', 1), new ParcelSent('p-3', 2)]);
      const { positions } = await before.store.append('parcel-4', ANY_VERSION, [new ParcelSent('p-4', 3)]);
      await before.runner.waitFor(INTEGRATION_EVENTS, positions[0]!);
      await before.close();
      opened.splice(opened.indexOf(before), 1);

      // As if the process died after JetStream's acknowledgements but before the checkpoint was stored.
      const after = await start(env, database, true);
      await after.module
        .get(Transactions)
        .write((manager) => after.module.get(SubscriptionStore).saveCheckpoint(manager, INTEGRATION_EVENTS, 0));
      after.runner.resume(INTEGRATION_EVENTS);
      const next = await after.store.append('parcel-5', ANY_VERSION, [new ParcelSent('p-5', 4)]);
      await after.runner.waitFor(INTEGRATION_EVENTS, next.positions[0]!);

      const ids = cloudEvents(await probe.messages(env.NATS_STREAM!)).map((event) => event.id);
      const stored = (await after.store.readAll(0, 100)).map((event) => event.eventId);
      expect(ids).toEqual(stored);
    } finally {
      for (const outbox of opened.splice(0)) await outbox.close();
      await database.drop();
    }
  });

  it('refuses to start on an existing stream that does not hold our subjects', async () => {
    const env = brokerSettings();
    const manager = await (await import('@nats-io/jetstream')).jetstreamManager(probe.connection);
    await manager.streams.add({ name: env.NATS_STREAM!, subjects: [`${uniqueName('elsewhere')}.>`] });
    await expect(new NatsConnection(readNatsConfig(env)).onModuleInit()).rejects.toBeInstanceOf(BrokerMisconfigured);
  });
});

describe('the outbox when the broker dies during a burst', () => {
  let server: NatsTestServer;
  let probe: JetStreamProbe | undefined;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    server = await NatsTestServer.start();
  });
  afterAll(async () => {
    await close?.();
    await probe?.close();
    await server.stop();
  });

  it('publishes every event once, in order, after the broker is back', async () => {
    const env = {
      NATS_URL: server.url,
      NATS_STREAM: 'BURST',
      NATS_SUBJECT_PREFIX: 'burst',
      NATS_PAYMENTS_STREAM: 'BURST_PAYMENTS',
    };
    const test = await createEventSourcingTestModule(
      {
        providers: [{ provide: natsConfig.KEY, useValue: readNatsConfig(env) }, NatsConnection, IntegrationEventsRelay],
      },
      { pollIntervalMs: 100 },
    );
    close = test.close;
    const store = test.module.get(EventStore);
    const runner = test.module.get(SubscriptionRunner);

    const appends: Promise<unknown>[] = [];
    for (let index = 0; index < 60; index += 1) {
      appends.push(store.append(`burst-${index}`, ANY_VERSION, [new ParcelSent(`b-${index}`, index)]));
      if (index === 20) await server.kill();
      if (index % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(appends);
    // Commands went on being stored; the publisher is behind and says why.
    await eventually(
      async () => {
        const [status] = await runner.status();
        return status?.lastError ? status : undefined;
      },
      'the publisher to report the broker outage',
      30_000,
    );

    await server.start();
    const head = await store.headPosition();
    await runner.waitFor(INTEGRATION_EVENTS, head).catch(() => undefined);
    await eventually(
      async () => ((await runner.checkpointOf(INTEGRATION_EVENTS)) === head ? true : undefined),
      'the publisher to catch up after the restart',
      60_000,
    );

    probe = await JetStreamProbe.connect(server.url);
    const published = (await probe.messages('BURST')).map((message) => message.json<CloudEvent>().id);
    const stored = (await store.readAll(0, 1000)).map((event) => event.eventId);
    expect(published).toEqual(stored);
  });
});
