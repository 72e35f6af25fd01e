import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { readAppConfig } from './config/app.config';
import { configureApp } from './http/configure-app';

async function bootstrap(): Promise<void> {
  const config = readAppConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
  configureApp(app, config);
  await app.listen(config.port);
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()} (Swagger UI at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // A bad setting names its variable; print that, not a stack trace, and exit non-zero.
  new Logger('Bootstrap').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
