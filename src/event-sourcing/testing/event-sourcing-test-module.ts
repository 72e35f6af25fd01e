import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleMetadata } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { readDatabaseConfig } from '../../config/database.config';
import { dataSourceOptions } from '../../database/data-source-options';
import { EventSourcingModule } from '../event-sourcing.module';
import { EventSourcingOptions } from '../event-sourcing.options';

export const TEST_EVENT_SOURCING_OPTIONS: EventSourcingOptions = {
  commandRetries: 10,
  consistencyWaitMs: 2000,
  idempotencyRetentionMs: 3_600_000,
  sagaAttempts: 3,
  sagaBackoffMs: 20,
  pausedSubscriptions: [],
  pollIntervalMs: 200,
  batchSize: 100,
};

/**
 * A Nest application context with the real event-sourcing stack on a fresh SQLite file, plus the
 * providers under test. `close()` shuts it down and deletes the file.
 */
export async function createEventSourcingTestModule(
  metadata: Pick<ModuleMetadata, 'providers' | 'imports'>,
  options: Partial<EventSourcingOptions> = {},
  /** Reuse a database file (to test a restart); by default a fresh one that `close()` deletes. */
  databasePath?: string,
): Promise<{ module: TestingModule; databasePath: string; close(): Promise<void> }> {
  const folder = databasePath === undefined ? mkdtempSync(join(tmpdir(), 'ledgerline-int-')) : undefined;
  const path = databasePath ?? join(folder!, 'test.sqlite');
  const database = readDatabaseConfig({ DATABASE_PATH: path });
  const module = await Test.createTestingModule({
    imports: [
      CqrsModule.forRoot(),
      TypeOrmModule.forRoot({ ...dataSourceOptions(database), autoLoadEntities: true }),
      EventSourcingModule.forRootAsync({ useFactory: () => ({ ...TEST_EVENT_SOURCING_OPTIONS, ...options }) }),
      ...(metadata.imports ?? []),
    ],
    providers: metadata.providers ?? [],
  }).compile();
  await module.init();
  return {
    module,
    databasePath: path,
    async close() {
      await module.close();
      if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    },
  };
}
