import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Inbox } from './inbox/inbox';
import { ParkedMessages } from './inbox/parked-messages';
import { NatsConnection } from './nats-connection';
import { IntegrationEventsRelay } from './outbox/integration-events.relay';

/**
 * Integration with other services through NATS JetStream (when NATS_URL is set): the outbox that
 * publishes public events as CloudEvents, and the inbox that runs the contexts' inbound handlers.
 * Without NATS_URL the service works alone.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [NatsConnection, IntegrationEventsRelay, ParkedMessages, Inbox],
  exports: [NatsConnection, Inbox, ParkedMessages],
})
export class IntegrationModule {}
