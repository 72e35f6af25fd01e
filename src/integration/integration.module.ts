import { Module } from '@nestjs/common';
import { NatsConnection } from './nats-connection';
import { IntegrationEventsRelay } from './outbox/integration-events.relay';

/**
 * Integration with other services through NATS JetStream (when NATS_URL is set): the outbox that
 * publishes public events as CloudEvents. Without NATS_URL the service works alone.
 */
@Module({
  providers: [NatsConnection, IntegrationEventsRelay],
  exports: [NatsConnection],
})
export class IntegrationModule {}
