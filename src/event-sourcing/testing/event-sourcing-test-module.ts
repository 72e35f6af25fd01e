import { ModuleMetadata } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { readDatabaseConfig } from '../../config/database.config';
import { dataSourceOptions } from '../../database/data-source-options';
import { openDataSource } from '../../database/prepare-database';
import { EventSourcingModule } from '../event-sourcing.module';
import { EventSourcingOptions } from '../event-sourcing.options';
import { IsolatedDatabase, isolatedDatabase } from './test-database';

export const TEST_EVENT_SOURCING_OPTIONS: EventSourcingOptions = {
  commandRetries: 10,
  consistencyWaitMs: 2000,
  idempotencyRetentionMs: 3_600_000,
  sagaAttempts: 3,
  sagaBackoffMs: 20,
  pausedSubscriptions: [],
  snapshotEvery: {},
  aggregateCacheSize: 1000,
  pollIntervalMs: 200,
  checkpointFlushMs: 50,
  batchSize: 100,
};

/**
 * A Nest application context with the real event-sourcing stack on an isolated database of the test
 * engine, plus the providers under test. `close()` shuts it down and drops the database.
 */
export async function createEventSourcingTestModule(
  metadata: Pick<ModuleMetadata, 'providers' | 'imports'>,
  options: Partial<EventSourcingOptions> = {},
  /** Reuse a database (to test a restart); by default a fresh one that `close()` drops. */
  shared?: IsolatedDatabase,
): Promise<{ module: TestingModule; close(): Promise<void> }> {
  const database = shared ?? isolatedDatabase();
  const module = await Test.createTestingModule({
    imports: [
      CqrsModule.forRoot(),
      TypeOrmModule.forRootAsync({
        useFactory: () => ({ ...dataSourceOptions(readDatabaseConfig(database.env)), autoLoadEntities: true }),
        dataSourceFactory: (options) => openDataSource(options!),
      }),
      EventSourcingModule.forRootAsync({ useFactory: () => ({ ...TEST_EVENT_SOURCING_OPTIONS, ...options }) }),
      ...(metadata.imports ?? []),
    ],
    providers: metadata.providers ?? [],
  }).compile();
  await module.init();
  return {
    module,
    async close() {
      await module.close();
      if (shared === undefined) await database.drop();
    },
  };
}
