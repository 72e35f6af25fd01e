import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { readAppConfig } from '../../src/config/app.config';
import { configureApp } from '../../src/http/configure-app';

export interface TestApp {
  app: NestExpressApplication;
  /** The base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  dataSource: DataSource;
  databasePath: string;
  close(): Promise<void>;
}

/**
 * The whole application, configured exactly as `main.ts` does, listening on a free port over a
 * fresh SQLite file. Extra environment variables apply while the modules read their configuration.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const folder = mkdtempSync(join(tmpdir(), 'ledgerline-e2e-'));
  const databasePath = env.DATABASE_PATH ?? join(folder, 'e2e.sqlite');
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_PATH: databasePath, ...env });
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
      databasePath,
      async close() {
        await app.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } finally {
    process.env = saved;
  }
}
