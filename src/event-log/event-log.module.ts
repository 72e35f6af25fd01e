import { Module } from '@nestjs/common';
import { EventsController } from './http/events.controller';
import { SubscriptionsController } from './http/subscriptions.controller';
import { LiveEvents } from './live-events';

/** The event log as a product: the global feed, its live stream, and the subscriptions admin. */
@Module({
  controllers: [EventsController, SubscriptionsController],
  providers: [LiveEvents],
})
export class EventLogModule {}
