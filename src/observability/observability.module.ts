import { BeforeApplicationShutdown, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { DestinationStream, Logger } from 'pino';
import { observabilityConfig } from '../config/observability.config';
import { CommandTelemetry } from './commands/command-telemetry';
import { RequestTelemetry } from './http/request-telemetry';
import { NestPinoLogger } from './logging/nest-pino-logger';
import { createRootLogger, LOG_DESTINATION, LOGGER, stdoutDestination } from './logging/root-logger';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { StoreGauges } from './metrics/store-gauges';
import { TraceExport } from './tracing/trace-export';

/**
 * What operators see of the service: JSON logs through one pino logger per app (Nest's own lines included,
 * through NestPinoLogger), Prometheus metrics at GET /metrics in a registry per app, and OpenTelemetry
 * spans exported over OTLP when configured. configureApp mounts RequestTelemetry first of all middleware.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: LOG_DESTINATION, useFactory: () => stdoutDestination() },
    {
      provide: LOGGER,
      inject: [observabilityConfig.KEY, LOG_DESTINATION],
      useFactory: (config: ConfigType<typeof observabilityConfig>, destination: DestinationStream) =>
        createRootLogger(config, destination),
    },
    { provide: NestPinoLogger, inject: [LOGGER], useFactory: (root: Logger) => new NestPinoLogger(root) },
    {
      provide: Metrics,
      inject: [observabilityConfig.KEY],
      useFactory: (config: ConfigType<typeof observabilityConfig>) => new Metrics(config.metricsEnabled),
    },
    TraceExport,
    RequestTelemetry,
    CommandTelemetry,
    StoreGauges,
  ],
  exports: [LOGGER, NestPinoLogger, Metrics, RequestTelemetry],
})
export class ObservabilityModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ context: 'Shutdown', signal }, `Shutting down${signal === undefined ? '' : ` on ${signal}`}`);
  }

  onApplicationShutdown(): void {
    this.logger.flush();
  }
}
