import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { observabilityConfig } from '../../config/observability.config';
import { InstalledTracing, installTracing } from './install-tracing';
import { tracingActive } from './spans';

/**
 * Exports spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or its traces-only twin) is set; without it
 * tracing stays off and nothing is exported. At shutdown the spans still queued are sent first.
 */
@Injectable()
export class TraceExport implements OnApplicationShutdown {
  private readonly installed: InstalledTracing | undefined;

  constructor(@Inject(observabilityConfig.KEY) config: ConfigType<typeof observabilityConfig>) {
    const configured = config.otlpEndpoint !== undefined || config.otlpTracesEndpoint !== undefined;
    // A test that installed its own in-memory exporter keeps it.
    if (configured && !tracingActive()) {
      this.installed = installTracing(new BatchSpanProcessor(new OTLPTraceExporter()), config.serviceName);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.installed?.uninstall();
  }
}
