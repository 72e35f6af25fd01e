import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { readAppConfig } from '../../src/config/app.config';
import { IsolatedDatabase, isolatedDatabase } from '../../src/event-sourcing/testing/test-database';
import { configureApp } from '../../src/http/configure-app';

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
 * database. Extra environment variables apply while the modules read their configuration.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = isolatedDatabase();
  const saved = { ...process.env };
  Object.assign(process.env, database.env, env);
  try {
    const module = await Test.createTestingModule({ imports: [AppModule] }).compile();
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
