import { Module } from '@nestjs/common';
import { IntegrationModule } from '../integration/integration.module';
import { CorrelatedEvents } from './browsing/correlated-events';
import { StreamCatalog } from './browsing/stream-catalog';
import { StreamHistory } from './browsing/stream-history';
import { EventsController } from './http/events.controller';
import { StreamsController } from './http/streams.controller';
import { SubscriptionsController } from './http/subscriptions.controller';
import { LiveEvents } from './live-events';
import { LiveStreamSlots } from './live-stream-slots';

/** The event log as a product: the global feed, its live stream, any stream's history, and the subscriptions admin. */
@Module({
  imports: [IntegrationModule],
  controllers: [EventsController, StreamsController, SubscriptionsController],
  providers: [LiveEvents, LiveStreamSlots, StreamCatalog, StreamHistory, CorrelatedEvents],
})
export class EventLogModule {}
