import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventCatalog } from './event-catalog';
import { EventCatalogController } from './http/event-catalog.controller';

/** GET /asyncapi.json and GET /asyncapi: every event type the service stores, for consumers. */
@Module({
  imports: [DiscoveryModule],
  controllers: [EventCatalogController],
  providers: [EventCatalog],
})
export class EventCatalogModule {}
