import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DiscoveryService } from '@nestjs/core';
import { lastValueFrom, of, toArray } from 'rxjs';
import { natsConfig } from '../config/nats.config';
import { aggregatesEvolvedBy } from '../event-sourcing/aggregate-root';
import type { RecordedEvent } from '../event-sourcing/event-store';
import { declaredEventTypes, declaredUpcasters, isPublicEventType } from '../event-sourcing/event-type';
import { EventTypeRegistry } from '../event-sourcing/event-type-registry';
import { Projection, ProjectionOf } from '../event-sourcing/subscriptions/projection';
import { Saga, SagaOf } from '../event-sourcing/subscriptions/saga';
import { API_VERSION } from '../http/configure-app';
import { InboundHandler, InboundHandlerOf } from '../integration/inbox/inbound-handler';
import { publishedData, publishedSchema } from '../integration/outbox/published-data';
import { asyncApiDocument, CatalogEntry, exampleStreamCategory } from './asyncapi-document';
import { BrokerCatalog } from './broker-channels';
import { sampleOf } from './event-samples';

/**
 * The AsyncAPI document of every registered event type, built once at start from the declarations
 * themselves: event classes and their schemas, upcasters, the aggregates' `@On` handlers, what each
 * projection and saga does with a sample of each event, which types are public, and the inbound handlers'
 * schemas. Nothing in it is kept by hand.
 */
@Injectable()
export class EventCatalog implements OnApplicationBootstrap {
  private built: Record<string, unknown> | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registry: EventTypeRegistry,
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.built = await this.build();
  }

  get document(): Record<string, unknown> {
    if (this.built === undefined) throw new Error('The event catalog is built when the application starts');
    return this.built;
  }

  private async build(): Promise<Record<string, unknown>> {
    const projections = this.providers<Projection>(ProjectionOf);
    const sagas = this.providers<Saga>(SagaOf);
    const upcasters = declaredUpcasters();
    const entries: CatalogEntry[] = [];
    for (const declared of [...declaredEventTypes().values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const example = sampleOf(declared.schema);
      const sample = this.recorded(declared.name, example);
      const upcastTo = upcasters.get(declared.name)?.to;
      // A superseded version is emitted by nobody any more; it belongs to the aggregate of its successor.
      const current = this.currentTypeOf(declared.name);
      entries.push({
        declared,
        emittedBy: aggregatesEvolvedBy(current),
        projections: projections.filter(({ instance }) => instance.handles?.(sample) ?? true).map(({ name }) => name),
        sagas: (
          await Promise.all(sagas.map(async (saga) => ((await reacts(saga.instance, sample)) ? saga.name : '')))
        ).filter((name) => name !== ''),
        upcastTo,
        upcastFrom: this.chainsInto(declared.name),
        example,
      });
    }
    return asyncApiDocument(entries, API_VERSION, this.broker(entries));
  }

  /**
   * The outbox publishes the current version of each public type, without its personal fields; the inbox
   * reads each inbound binding.
   */
  private broker(entries: readonly CatalogEntry[]): BrokerCatalog {
    const { servers, subjectPrefix, stream, source } = this.nats;
    return {
      servers,
      subjectPrefix,
      stream,
      source,
      published: entries
        .filter((entry) => entry.upcastTo === undefined && isPublicEventType(entry.declared.name))
        .map((entry) => {
          const { name, schema } = entry.declared;
          const published = publishedSchema(name, schema);
          return {
            type: name,
            example: publishedData(name, entry.example as Record<string, unknown>),
            streamCategory: exampleStreamCategory(entry),
            ...(published !== schema && { data: published }),
          };
        }),
      inbound: this.inboundHandlers(),
    };
  }

  private inboundHandlers(): BrokerCatalog['inbound'] {
    return this.discovery
      .getProviders({ metadataKey: InboundHandlerOf.KEY })
      .flatMap((wrapper) => {
        const consumer = this.discovery.getMetadataByDecorator(InboundHandlerOf, wrapper)?.consumer;
        const handler = wrapper.instance as InboundHandler | undefined;
        return consumer === undefined || !handler ? [] : [{ consumer, ...handler.binding, accepts: handler.accepts }];
      })
      .sort((a, b) => a.consumer.localeCompare(b.consumer));
  }

  private providers<T>(decorator: typeof ProjectionOf | typeof SagaOf): { name: string; instance: T }[] {
    return this.discovery
      .getProviders({ metadataKey: decorator.KEY })
      .map((wrapper) => ({
        name: this.discovery.getMetadataByDecorator(decorator, wrapper)?.name ?? '',
        instance: wrapper.instance as T,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The sample as readers get it: through the registry, upcast like a stored row. */
  private recorded(type: string, data: unknown): RecordedEvent {
    return {
      position: 1,
      transactionId: 0,
      eventId: '00000000-0000-4000-8000-000000000000',
      streamId: 'catalog-sample',
      streamVersion: 1,
      type,
      event: this.registry.deserialize(type, data as Record<string, unknown>),
      metadata: {},
      recordedAt: new Date(0),
    };
  }

  private currentTypeOf(type: string): string {
    let current = type;
    for (let step = declaredUpcasters().get(current); step; step = declaredUpcasters().get(current)) current = step.to;
    return current;
  }

  /** Every chain of older types that ends in `type`, each oldest first. */
  private chainsInto(type: string): string[][] {
    const direct = [...declaredUpcasters().values()].filter((step) => step.to === type).map((step) => step.from);
    return direct.flatMap((from) => {
      const older = this.chainsInto(from);
      return older.length === 0 ? [[from]] : older.map((chain) => [...chain, from]);
    });
  }
}

/** Whether the saga sends anything for the event: its pipe filters what it does not react to. */
async function reacts(saga: Saga, sample: RecordedEvent): Promise<boolean> {
  try {
    return (await lastValueFrom(saga.react(of(sample)).pipe(toArray()))).length > 0;
  } catch {
    // It tried, so it consumes the event; the sample only failed its checks.
    return true;
  }
}
