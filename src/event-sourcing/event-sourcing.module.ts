import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AggregateRepository } from './aggregate-repository';
import { EVENT_SOURCING_OPTIONS, EventSourcingOptions } from './event-sourcing.options';
import { EventStore } from './event-store';
import { EventTypeRegistry } from './event-type-registry';
import { GetAggregateEventsHandler } from './history/get-aggregate-events.handler';
import { GetVersionAsOfHandler } from './history/get-version-as-of.handler';
import { IdempotencySweeper } from './idempotency-sweeper';
import { SagaReactor } from './subscriptions/saga-reactor';
import { SubscriptionRunner } from './subscriptions/subscription-runner';
import { SnapshotStore } from './snapshots/snapshot-store';
import { ClusterCoordinator } from './typeorm/cluster-coordinator';
import { TypeOrmSnapshotStore } from './typeorm/typeorm-snapshot-store';
import { SubscriptionStore } from './typeorm/subscription-store';
import { Transactions } from './typeorm/transactions';
import { TypeOrmEventStore } from './typeorm/typeorm-event-store';
import { MasterKeys } from './personal-data/master-keys';
import { MasterKeyCheck } from './personal-data/master-key-check';
import { PersonalDataVault } from './personal-data/personal-data-vault';
import { WalScrubber } from './personal-data/wal-scrubber';

export interface EventSourcingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's factory-provider contract
  inject?: any[];
  useFactory: (...args: never[]) => EventSourcingOptions | Promise<EventSourcingOptions>;
}

/**
 * The event store, aggregate repository and subscription runner on the application's TypeORM
 * DataSource. Global, so feature modules inject these without importing it again.
 * Expects CqrsModule.forRoot() and TypeOrmModule.forRoot*() in the root module.
 */
@Module({})
export class EventSourcingModule {
  static forRootAsync(options: EventSourcingModuleAsyncOptions): DynamicModule {
    return {
      module: EventSourcingModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: EVENT_SOURCING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        Transactions,
        ClusterCoordinator,
        EventTypeRegistry,
        {
          provide: MasterKeys,
          inject: [EVENT_SOURCING_OPTIONS],
          useFactory: (settings: EventSourcingOptions) => settings.masterKeys ?? MasterKeys.ephemeral(),
        },
        PersonalDataVault,
        MasterKeyCheck,
        WalScrubber,
        TypeOrmEventStore,
        { provide: EventStore, useExisting: TypeOrmEventStore },
        { provide: SnapshotStore, useClass: TypeOrmSnapshotStore },
        AggregateRepository,
        IdempotencySweeper,
        SubscriptionStore,
        SagaReactor,
        SubscriptionRunner,
        GetAggregateEventsHandler,
        GetVersionAsOfHandler,
      ],
      exports: [
        EVENT_SOURCING_OPTIONS,
        Transactions,
        ClusterCoordinator,
        EventTypeRegistry,
        EventStore,
        PersonalDataVault,
        WalScrubber,
        SnapshotStore,
        AggregateRepository,
        SubscriptionStore,
        SubscriptionRunner,
      ],
    };
  }
}
