import { registerAs } from '@nestjs/config';
import { ChoiceSetting, Env, readEnvironment, UrlSetting } from './environment';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
const LOG_FORMATS = ['json', 'pretty'] as const;
const OTLP_PROTOCOLS = ['http:', 'https:'];

export interface ObservabilityConfig {
  /** Whether GET /metrics answers and the service keeps its Prometheus metrics. */
  metricsEnabled: boolean;
  logLevel: LogLevelName;
  /** JSON lines for log collectors, or coloured lines for a person at a terminal. */
  logFormat: (typeof LOG_FORMATS)[number];
  /**
   * Where OTLP/HTTP traces go (OpenTelemetry's standard variables); tracing is off when neither is set.
   * The exporter reads these, and OTEL_EXPORTER_OTLP_HEADERS and the like, itself.
   */
  otlpEndpoint: string | undefined;
  otlpTracesEndpoint: string | undefined;
  /** The `service.name` of every span. */
  serviceName: string;
}

/** The environment variables behind ObservabilityConfig, with their defaults. */
export class ObservabilityEnvironment {
  @ChoiceSetting(['true', 'false'])
  METRICS_ENABLED = 'true';

  @ChoiceSetting(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'info';

  @ChoiceSetting(LOG_FORMATS)
  LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'json';

  @UrlSetting(OTLP_PROTOCOLS)
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @UrlSetting(OTLP_PROTOCOLS)
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  OTEL_SERVICE_NAME = 'ledgerline';
}

export function readObservabilityConfig(env: Env = process.env): ObservabilityConfig {
  const settings = readEnvironment(ObservabilityEnvironment, env);
  return {
    metricsEnabled: settings.METRICS_ENABLED === 'true',
    logLevel: settings.LOG_LEVEL,
    logFormat: settings.LOG_FORMAT,
    otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
    otlpTracesEndpoint: settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    serviceName: settings.OTEL_SERVICE_NAME,
  };
}

export const observabilityConfig = registerAs('observability', () => readObservabilityConfig());
