import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppConfig, readAppConfig } from './config/app.config';
import { InvalidEnvironmentVariable } from './config/environment';
import { ObservabilityConfig, readObservabilityConfig } from './config/observability.config';
import { validateEnvironment } from './config/validate-environment';
import { UnknownSubscriptions } from './event-sourcing/subscriptions/subscription.errors';
import { configureApp } from './http/configure-app';
import { NestPinoLogger } from './observability/logging/nest-pino-logger';
import { createRootLogger, stdoutDestination } from './observability/logging/root-logger';
import { turnOffPretenuring } from './lifecycle/v8-heap';

async function bootstrap(): Promise<void> {
  turnOffPretenuring();
  // Every setting is checked before Nest starts: a bad one met inside a module's factory would be
  // logged by Nest with a stack trace, where an operator needs one line naming the variable. The app
  // module is imported only then, as its ConfigModule.forRoot({ validate }) runs on import.
  validateEnvironment(process.env);
  const config = readAppConfig();
  const { AppModule } = await import('./app.module.js');
  // Until the app's own logger exists, Nest's start-up lines (database retries, migrations) go through
  // one of the same kind, written synchronously so none is lost if the start fails.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: startupLogger(),
  });
  app.useLogger(app.get(NestPinoLogger));
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

/** JSON lines on stdout as configured, or as by default when the logging settings are the bad ones. */
function startupLogger(): NestPinoLogger {
  let config: ObservabilityConfig;
  try {
    config = readObservabilityConfig();
  } catch {
    config = readObservabilityConfig({});
  }
  return new NestPinoLogger(createRootLogger(config, stdoutDestination({ sync: true })));
}

bootstrap().catch((error: unknown) => {
  startupLogger().error(startupFailure(error), 'Bootstrap');
  process.exit(1);
});
