import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { readAppConfig } from '../../src/config/app.config';
import { IsolatedDatabase, isolatedDatabase } from '../../src/event-sourcing/testing/test-database';
import { configureApp } from '../../src/http/configure-app';
import { LOG_DESTINATION } from '../../src/observability/logging/root-logger';

/** Where a test app's log lines go: held back with Nest's when the setup file is loaded, else dropped. */
function heldBackLogDestination(): DestinationStream {
  const held = (globalThis as { heldBackLogs?: { destination: DestinationStream } }).heldBackLogs;
  return held?.destination ?? { write: () => undefined };
}

export interface TestApp {
  app: NestExpressApplication;
  /** The base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  dataSource: DataSource;
  /** The test's own database (a temp SQLite file, or a PostgreSQL schema with TEST_ENGINE=postgres). */
  database: IsolatedDatabase;
  /** The SQLite file, on SQLite. */
  databasePath: string | undefined;
  close(): Promise<void>;
}

/**
 * The whole application, configured exactly as `main.ts` does, listening on a free port over its own
 * database. Extra environment variables apply while the modules read their configuration. Its JSON log
 * lines are held back like Nest's (test/support/hold-back-logs.ts) unless `logDestination` takes them.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const database = isolatedDatabase();
  const saved = { ...process.env };
  Object.assign(process.env, database.env, env);
  try {
    const module = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(LOG_DESTINATION)
      .useValue(options.logDestination ?? heldBackLogDestination())
      .compile();
    const app = module.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
    configureApp(app, readAppConfig());
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return {
      app,
      url,
      dataSource: app.get(DataSource),
      database,
      databasePath: database.env.DATABASE_PATH,
      async close() {
        await app.close();
        await database.drop();
      },
    };
  } finally {
    process.env = saved;
  }
}
