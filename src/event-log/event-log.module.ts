import { Module } from '@nestjs/common';
import { IntegrationModule } from '../integration/integration.module';
import { EventsController } from './http/events.controller';
import { SubscriptionsController } from './http/subscriptions.controller';
import { LiveEvents } from './live-events';
import { LiveStreamSlots } from './live-stream-slots';

/** The event log as a product: the global feed, its live stream, and the subscriptions admin. */
@Module({
  imports: [IntegrationModule],
  controllers: [EventsController, SubscriptionsController],
  providers: [LiveEvents, LiveStreamSlots],
})
export class EventLogModule {}
