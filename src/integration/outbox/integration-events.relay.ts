import { Injectable } from '@nestjs/common';
import { headers } from '@nats-io/transport-node';
import type { RecordedEvent } from '../../event-sourcing/event-store';
import { eventTypeOf, isPublicEventType } from '../../event-sourcing/event-type';
import { EventTypeRegistry } from '../../event-sourcing/event-type-registry';
import { Relay, RelayOf } from '../../event-sourcing/subscriptions/relay';
import { CLOUDEVENT_MEDIA_TYPE, toCloudEvent } from '../cloud-event';
import { NatsConnection } from '../nats-connection';
import { publishedData } from './published-data';

/** How long a publish waits for JetStream's acknowledgement before it counts as failed and is retried. */
const ACK_TIMEOUT_MS = 5000;

export const INTEGRATION_EVENTS = 'integration-events';

/**
 * The outbox: every stored event of a public type goes to JetStream as a CloudEvent on
 * `<prefix>.<event type>`, one at a time in the log's order, and the checkpoint passes it only once
 * JetStream acknowledged it. The message id is the event id, so an event published again after a crash
 * (before its checkpoint was stored) is dropped by the broker within the stream's duplicate window.
 * Declared personal fields are withheld (see published-data.ts).
 */
@Injectable()
@RelayOf({ name: INTEGRATION_EVENTS })
export class IntegrationEventsRelay implements Relay {
  constructor(
    private readonly nats: NatsConnection,
    private readonly registry: EventTypeRegistry,
  ) {}

  get enabled(): boolean {
    return this.nats.enabled;
  }

  handles(recorded: RecordedEvent): boolean {
    return isPublicEventType(eventTypeOf(recorded.event));
  }

  async deliver(recorded: RecordedEvent): Promise<void> {
    if (!this.handles(recorded)) return;
    const { config } = this.nats;
    const cloudEvent = toCloudEvent(recorded, this.registry, config.source);
    cloudEvent.data = publishedData(cloudEvent.type, cloudEvent.data);
    const { client } = await this.nats.ready();
    const messageHeaders = headers();
    messageHeaders.set('content-type', CLOUDEVENT_MEDIA_TYPE);
    await client.publish(`${config.subjectPrefix}.${cloudEvent.type}`, JSON.stringify(cloudEvent), {
      msgID: recorded.eventId,
      headers: messageHeaders,
      timeout: ACK_TIMEOUT_MS,
    });
  }
}
