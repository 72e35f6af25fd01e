import { registerAs } from '@nestjs/config';
import {
  integerMapVar,
  integerVar,
  InvalidEnvironmentVariable,
  listVar,
  optionalHostVar,
  sizeVar,
  trustProxyVar,
} from './env';

export interface AppConfig {
  /** The interface to listen on; undefined means every interface. */
  host: string | undefined;
  port: number;
  /** Largest accepted JSON body; larger ones answer 413. */
  bodyLimit: string;
  /** How long a client may take to send a whole request, body included, before it gets 408. */
  httpRequestTimeoutMs: number;
  /** How long a client may take to send the request's headers; at most httpRequestTimeoutMs. */
  httpHeadersTimeoutMs: number;
  /** How long a `consistentWith` query waits for the read model before answering 503. */
  consistencyWaitMs: number;
  /** How many times a blind (no If-Match) command is re-decided after a concurrent write. */
  commandRetries: number;
  /** How long an Idempotency-Key keeps answering with the first result. */
  idempotencyRetentionHours: number;
  /** How many times a saga tries an event's commands before parking it. */
  sagaAttempts: number;
  sagaBackoffMs: number;
  /** Subscriptions (projections or sagas) that start paused. */
  pausedSubscriptions: string[];
  /** Snapshot interval per stream category (0 = off), overriding each aggregate's default. */
  snapshotEvery: Record<string, number>;
  /** Open GET /events/live streams per client (token subject, else IP); more answer 429. */
  liveStreamsPerClient: number;
  /** How long a live stream may wait for its client to take what was sent before it is ended. */
  liveStreamStallMs: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (its IP for the rate limit). */
  trustProxy: boolean | number | string[];
  /** How often an idle GET /events/live stream sends a comment line, so proxies keep it open. */
  sseHeartbeatMs: number;
  /** How often subscriptions and live streams look for other instances' appends (a missed NOTIFY's fallback). */
  subscriptionPollMs: number;
  /** How long a shutdown waits for requests in flight before it closes their connections. */
  shutdownTimeoutMs: number;
  /** GET /health/ready fails while a subscription is this many events (or more) behind the head. */
  readyMaxLag: number;
}

export function readAppConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const httpRequestTimeoutMs = integerVar(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, { min: 100, max: 3_600_000 });
  const httpHeadersTimeoutMs = integerVar(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, { min: 100, max: 3_600_000 });
  if (httpHeadersTimeoutMs > httpRequestTimeoutMs) {
    throw new InvalidEnvironmentVariable(
      'HTTP_HEADERS_TIMEOUT_MS',
      String(httpHeadersTimeoutMs),
      `at most HTTP_REQUEST_TIMEOUT_MS (${httpRequestTimeoutMs})`,
    );
  }
  return {
    host: optionalHostVar(env, 'HOST'),
    port: integerVar(env, 'PORT', 3000, { min: 0, max: 65535 }),
    bodyLimit: sizeVar(env, 'BODY_LIMIT', '100kb'),
    httpRequestTimeoutMs,
    httpHeadersTimeoutMs,
    consistencyWaitMs: integerVar(env, 'CONSISTENCY_WAIT_MS', 5000, { min: 0, max: 60000 }),
    commandRetries: integerVar(env, 'COMMAND_RETRIES', 10, { min: 0, max: 1000 }),
    idempotencyRetentionHours: integerVar(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, { min: 1, max: 24 * 365 }),
    sagaAttempts: integerVar(env, 'SAGA_ATTEMPTS', 5, { min: 1, max: 100 }),
    sagaBackoffMs: integerVar(env, 'SAGA_BACKOFF_MS', 200, { min: 0, max: 60_000 }),
    pausedSubscriptions: listVar(env, 'PAUSED_SUBSCRIPTIONS'),
    snapshotEvery: integerMapVar(env, 'SNAPSHOT_EVERY', { min: 0, max: 1_000_000 }),
    liveStreamsPerClient: integerVar(env, 'LIVE_STREAMS_PER_CLIENT', 10, { min: 1, max: 100_000 }),
    liveStreamStallMs: integerVar(env, 'LIVE_STREAM_STALL_MS', 30_000, { min: 100, max: 3_600_000 }),
    trustProxy: trustProxyVar(env, 'TRUST_PROXY'),
    sseHeartbeatMs: integerVar(env, 'SSE_HEARTBEAT_MS', 15_000, { min: 100, max: 3_600_000 }),
    subscriptionPollMs: integerVar(env, 'SUBSCRIPTION_POLL_MS', 1000, { min: 10, max: 600_000 }),
    shutdownTimeoutMs: integerVar(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, { min: 0, max: 600_000 }),
    readyMaxLag: integerVar(env, 'READY_MAX_LAG', 10_000, { min: 1, max: 1_000_000_000 }),
  };
}

export const appConfig = registerAs('app', () => readAppConfig());
