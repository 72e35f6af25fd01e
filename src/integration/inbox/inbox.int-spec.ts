import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream } from '@nats-io/jetstream';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { natsConfig, readNatsConfig } from '../../config/nats.config';
import { createEventSourcingTestModule } from '../../event-sourcing/testing/event-sourcing-test-module';
import { eventually } from '../../../test/support/eventually';
import { NatsConnection } from '../nats-connection';
import { JetStreamProbe } from '../testing/jetstream-messages';
import { MACHINE_NATS_URL, uniqueName } from '../testing/nats-test-server';
import { Inbox } from './inbox';
import type { InboundCloudEvent } from './inbound-cloud-event';
import { InboundHandler, InboundHandlerOf } from './inbound-handler';
import { ParkedMessages } from './parked-messages';

const env = {
  NATS_URL: MACHINE_NATS_URL,
  NATS_STREAM: uniqueName('INBOX_OUT'),
  NATS_SUBJECT_PREFIX: uniqueName('inbox_out'),
  NATS_PAYMENTS_STREAM: uniqueName('INBOX_IN'),
  NATS_PAYMENTS_SUBJECT_PREFIX: uniqueName('inbox_in'),
};
const SUBJECT = `${env.NATS_PAYMENTS_SUBJECT_PREFIX}.captured`;

/** Fails like a busy database for its first tries, then records what it handled. */
@Injectable()
@InboundHandlerOf({ consumer: 'inbox-test' })
class BusyThenFineHandler implements InboundHandler {
  static busyFor = 0;
  static readonly handled: string[] = [];
  readonly binding = { stream: env.NATS_PAYMENTS_STREAM, subject: SUBJECT };
  readonly accepts = { type: 'test.noted.v1', data: Type.Object({}) };

  handle(event: InboundCloudEvent): Promise<void> {
    if (BusyThenFineHandler.busyFor > 0) {
      BusyThenFineHandler.busyFor -= 1;
      return Promise.reject(new Error('SQLITE_BUSY: database is locked'));
    }
    BusyThenFineHandler.handled.push(event.id);
    return Promise.resolve();
  }
}

describe('the inbox', () => {
  let probe: JetStreamProbe;
  let test: Awaited<ReturnType<typeof createEventSourcingTestModule>>;

  beforeAll(async () => {
    probe = await JetStreamProbe.connect(MACHINE_NATS_URL);
    test = await createEventSourcingTestModule({
      imports: [DiscoveryModule],
      providers: [
        { provide: natsConfig.KEY, useValue: readNatsConfig(env) },
        NatsConnection,
        ParkedMessages,
        Inbox,
        BusyThenFineHandler,
      ],
    });
  });
  afterAll(async () => {
    await test.close();
    await probe.deleteStreams(env.NATS_STREAM, env.NATS_PAYMENTS_STREAM);
    await probe.close();
  });

  it('redelivers a message whose handling failed for a passing reason, and acknowledges it once handled', async () => {
    BusyThenFineHandler.busyFor = 2;
    const id = randomUUID();
    const event = { specversion: '1.0', id, source: '/test', type: 'test.happened.v1', data: {} };
    await jetstream(probe.connection).publish(SUBJECT, JSON.stringify(event));

    await eventually(
      () => Promise.resolve(BusyThenFineHandler.handled.includes(id) ? true : undefined),
      'the handling',
      30_000,
    );
    expect(BusyThenFineHandler.busyFor).toBe(0);
    const inbox = test.module.get(Inbox);
    const [status] = await eventually(async () => {
      const statuses = await inbox.status();
      return statuses[0]?.lag === 0 ? statuses : undefined;
    }, 'the acknowledgement');
    expect(status).toMatchObject({ name: 'inbox-test', checkpoint: 1, headPosition: 1, lastError: null });
    expect(BusyThenFineHandler.handled).toEqual([id]);
    expect(await test.module.get(ParkedMessages).list('inbox-test')).toEqual([]);
  });
});
