import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { AppConfig, readAppConfig } from './config/app.config';
import { readAuthConfig } from './config/auth.config';
import { readDatabaseConfig } from './config/database.config';
import { InvalidEnvironmentVariable } from './config/env';
import { readNatsConfig } from './config/nats.config';
import { UnknownSubscriptions } from './event-sourcing/subscriptions/subscription.errors';
import { configureApp } from './http/configure-app';

async function bootstrap(): Promise<void> {
  // Every setting is checked before Nest starts: a bad one met inside a module's factory would be
  // logged by Nest with a stack trace, where an operator needs one line naming the variable.
  const config = readAppConfig();
  readDatabaseConfig();
  readAuthConfig();
  readNatsConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
  configureApp(app, config);
  await app.init();
  await listen(app, config);
  const { address, port } = app.getHttpServer().address() as AddressInfo;
  const everywhere = address === '::' || address === '0.0.0.0' ? ', every interface' : '';
  const host = address.includes(':') ? `[${address}]` : address;
  new Logger('Bootstrap').log(`Listening on http://${host}:${port} (Swagger UI at /docs${everywhere})`);
}

async function listen(app: NestExpressApplication, { host, port }: AppConfig): Promise<void> {
  try {
    if (host === undefined) await app.listen(port);
    else await app.listen(port, host);
  } catch (error) {
    throw new Error(`Cannot listen on HOST=${host ?? ''} PORT=${port}: ${String(error)}`, { cause: error });
  }
}

/** One line an operator can act on; a setting found wrong once the modules are up still names its variable. */
function startupFailure(error: unknown): string {
  if (error instanceof UnknownSubscriptions) {
    const expected = `comma-separated names of subscriptions: ${error.known.join(', ')}`;
    return new InvalidEnvironmentVariable('PAUSED_SUBSCRIPTIONS', error.names.join(','), expected).message;
  }
  return error instanceof Error ? error.message : String(error);
}

bootstrap().catch((error: unknown) => {
  new Logger('Bootstrap').error(startupFailure(error));
  process.exit(1);
});
