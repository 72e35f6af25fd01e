import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module';
import { AppConfig, appConfig } from './config/app.config';
import { authConfig } from './config/auth.config';
import { databaseConfig } from './config/database.config';
import { dataSourceOptions } from './database/data-source-options';
import { openDataSource, worthRetrying } from './database/prepare-database';
import { EventSourcingModule } from './event-sourcing/event-sourcing.module';
import { EventCatalogModule } from './event-catalog/event-catalog.module';
import { EventLogModule } from './event-log/event-log.module';
import { HealthModule } from './health/health.module';
import { IntegrityModule } from './integrity/integrity.module';
import { OrdersModule } from './orders/orders.module';
import { ShoppingCartsModule } from './shopping-carts/shopping-carts.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig, databaseConfig, authConfig] }),
    CqrsModule.forRoot(),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (database: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(database),
        autoLoadEntities: true,
        toRetry: worthRetrying,
      }),
      // Nest always passes the options built above.
      dataSourceFactory: (options) => openDataSource(options!),
    }),
    EventSourcingModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => ({
        commandRetries: app.commandRetries,
        consistencyWaitMs: app.consistencyWaitMs,
        idempotencyRetentionMs: app.idempotencyRetentionHours * 3_600_000,
        sagaAttempts: app.sagaAttempts,
        sagaBackoffMs: app.sagaBackoffMs,
        pausedSubscriptions: app.pausedSubscriptions,
        snapshotEvery: app.snapshotEvery,
        aggregateCacheSize: 10_000,
        pollIntervalMs: 1000,
        batchSize: 500,
      }),
    }),
    AuthModule,
    HealthModule,
    ShoppingCartsModule,
    OrdersModule,
    EventLogModule,
    IntegrityModule,
    EventCatalogModule,
  ],
})
export class AppModule {}
