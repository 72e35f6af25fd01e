import { Module, OnModuleDestroy } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module';
import { AppConfig, appConfig } from './config/app.config';
import { authConfig } from './config/auth.config';
import { DatabaseConfig, databaseConfig } from './config/database.config';
import { observabilityConfig } from './config/observability.config';
import { natsConfig } from './config/nats.config';
import { PersonalDataConfig, personalDataConfig } from './config/personal-data.config';
import { validateEnvironment } from './config/validate-environment';
import { dataSourceOptions } from './database/data-source-options';
import { openDataSource, worthRetrying } from './database/prepare-database';
import { EventSourcingModule } from './event-sourcing/event-sourcing.module';
import { loadMasterKeys } from './event-sourcing/personal-data/master-key-source';
import { CustomersModule } from './customers/customers.module';
import { EventCatalogModule } from './event-catalog/event-catalog.module';
import { EventLogModule } from './event-log/event-log.module';
import { HealthModule } from './health/health.module';
import { IntegrationModule } from './integration/integration.module';
import { IntegrityModule } from './integrity/integrity.module';
import { ObservabilityModule } from './observability/observability.module';
import { TypeOrmNestLogger } from './observability/logging/typeorm-nest-logger';
import { GracefulShutdown } from './lifecycle/graceful-shutdown';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { OrdersModule } from './orders/orders.module';
import { ShoppingCartsModule } from './shopping-carts/shopping-carts.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: validateEnvironment,
      load: [appConfig, databaseConfig, authConfig, observabilityConfig, natsConfig, personalDataConfig],
    }),
    CqrsModule.forRoot(),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (database: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(database),
        // Migrations run (and, with DATABASE_LOGGING, queries) are logged as the service's other lines are.
        logger: new TypeOrmNestLogger(database.logging),
        autoLoadEntities: true,
        toRetry: worthRetrying,
      }),
      // Nest always passes the options built above.
      dataSourceFactory: (options) => openDataSource(options!),
    }),
    EventSourcingModule.forRootAsync({
      inject: [appConfig.KEY, databaseConfig.KEY, personalDataConfig.KEY],
      useFactory: (app: AppConfig, database: DatabaseConfig, personalData: PersonalDataConfig) => ({
        commandRetries: app.commandRetries,
        consistencyWaitMs: app.consistencyWaitMs,
        idempotencyRetentionMs: app.idempotencyRetentionHours * 3_600_000,
        sagaAttempts: app.sagaAttempts,
        sagaBackoffMs: app.sagaBackoffMs,
        pausedSubscriptions: app.pausedSubscriptions,
        snapshotEvery: app.snapshotEvery,
        aggregateCacheSize: 10_000,
        pollIntervalMs: app.subscriptionPollMs,
        checkpointFlushMs: 50,
        // Smaller batches live shorter: fewer of their objects outlive a young-generation collection, which
        // is what makes V8 allocate them in the old generation from then on (BENCHMARKS.md, round 5). The
        // rebuild keeps its rate.
        batchSize: 250,
        masterKeys: loadMasterKeys(personalData, database),
      }),
    }),
    ObservabilityModule,
    AuthModule,
    HealthModule,
    ShoppingCartsModule,
    OrdersModule,
    CustomersModule,
    EventLogModule,
    IntegrityModule,
    IntegrationModule,
    LifecycleModule,
    EventCatalogModule,
  ],
})
export class AppModule implements OnModuleDestroy {
  constructor(private readonly shutdown: GracefulShutdown) {}

  /** Nest runs the root module's hook before any other module's: requests drain while everything still works. */
  onModuleDestroy(): Promise<void> {
    return this.shutdown.shutDown();
  }
}
