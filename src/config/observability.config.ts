import { registerAs } from '@nestjs/config';
import { choiceVar, optionalUrlVar, stringVar } from './env';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface ObservabilityConfig {
  /** Whether GET /metrics answers and the service keeps its Prometheus metrics. */
  metricsEnabled: boolean;
  logLevel: LogLevelName;
  /** JSON lines for log collectors, or coloured lines for a person at a terminal. */
  logFormat: 'json' | 'pretty';
  /**
   * Where OTLP/HTTP traces go (OpenTelemetry's standard variables); tracing is off when neither is set.
   * The exporter reads these, and OTEL_EXPORTER_OTLP_HEADERS and the like, itself.
   */
  otlpEndpoint: string | undefined;
  otlpTracesEndpoint: string | undefined;
  /** The `service.name` of every span. */
  serviceName: string;
}

export function readObservabilityConfig(env: Record<string, string | undefined> = process.env): ObservabilityConfig {
  return {
    metricsEnabled: choiceVar(env, 'METRICS_ENABLED', 'true', ['true', 'false']) === 'true',
    logLevel: choiceVar(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat: choiceVar(env, 'LOG_FORMAT', 'json', ['json', 'pretty'] as const),
    otlpEndpoint: optionalUrlVar(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
    otlpTracesEndpoint: optionalUrlVar(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']),
    serviceName: stringVar(env, 'OTEL_SERVICE_NAME', 'ledgerline'),
  };
}

export const observabilityConfig = registerAs('observability', () => readObservabilityConfig());
