import { isIP } from 'node:net';
import { registerAs } from '@nestjs/config';
import { IsOptional } from 'class-validator';
import { Env, IntegerSetting, isHost, isSize, list, readEnvironment, SettingThat } from './environment';

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

/** Subnet names express's `trust proxy` setting knows. */
const PROXY_SUBNETS = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyEntry(entry: string): boolean {
  if (PROXY_SUBNETS.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
  return family !== 0 && validBits && rest.length === 0;
}

function isTrustProxy(value: string): boolean {
  return (
    ['true', 'false'].includes(value) ||
    /^\d{1,3}$/.test(value) ||
    value.split(',').every((entry) => isProxyEntry(entry.trim()))
  );
}

/**
 * Express's `trust proxy`: `true` (any), `false` (none, the default), a number of hops, or comma-separated
 * addresses, CIDR subnets and the names loopback, linklocal and uniquelocal.
 */
function trustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,3}$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

const SNAPSHOT_ENTRY = /^([a-z0-9-]+):(\d{1,9})$/;

/** `category:integer` pairs separated by commas, e.g. `shopping-cart:100,order:0`. */
function snapshotEvery(value: string | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  for (const entry of list(value)) {
    const [, category, every] = SNAPSHOT_ENTRY.exec(entry)!;
    result[category!] = Number(every);
  }
  return result;
}

function isSnapshotEvery(value: string): boolean {
  return list(value).every((entry) => {
    const match = SNAPSHOT_ENTRY.exec(entry);
    return match !== null && Number(match[2]) <= 1_000_000;
  });
}

/** The environment variables behind AppConfig, with their defaults. */
export class AppEnvironment {
  @IsOptional()
  @SettingThat((value) => isHost(value!), 'an IP address or a host name')
  HOST?: string;

  @IntegerSetting(0, 65535)
  PORT = 3000;

  @SettingThat((value) => isSize(value!), 'a size in bytes, or with a unit such as 512kb or 1mb')
  BODY_LIMIT = '100kb';

  @IntegerSetting(100, 3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  @IntegerSetting(100, 3_600_000)
  @SettingThat(
    (value, settings) => !(Number(value) > Number(settings.HTTP_REQUEST_TIMEOUT_MS)),
    (_, settings) => `at most HTTP_REQUEST_TIMEOUT_MS (${String(settings.HTTP_REQUEST_TIMEOUT_MS)})`,
  )
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  @IntegerSetting(0, 60_000)
  CONSISTENCY_WAIT_MS = 5000;

  @IntegerSetting(0, 1000)
  COMMAND_RETRIES = 10;

  @IntegerSetting(1, 24 * 365)
  IDEMPOTENCY_RETENTION_HOURS = 24;

  @IntegerSetting(1, 100)
  SAGA_ATTEMPTS = 5;

  @IntegerSetting(0, 60_000)
  SAGA_BACKOFF_MS = 200;

  /** Checked against the subscriptions there are once the modules are up. */
  @IsOptional()
  PAUSED_SUBSCRIPTIONS?: string;

  @IsOptional()
  @SettingThat((value) => isSnapshotEvery(value!), 'category:integer pairs (integers 0 to 1000000), comma-separated')
  SNAPSHOT_EVERY?: string;

  @IntegerSetting(1, 100_000)
  LIVE_STREAMS_PER_CLIENT = 10;

  @IntegerSetting(100, 3_600_000)
  LIVE_STREAM_STALL_MS = 30_000;

  @IsOptional()
  @SettingThat(
    (value) => isTrustProxy(value!),
    'true, false, a number of hops, or comma-separated IP addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal',
  )
  TRUST_PROXY?: string;

  @IntegerSetting(100, 3_600_000)
  SSE_HEARTBEAT_MS = 15_000;

  @IntegerSetting(10, 600_000)
  SUBSCRIPTION_POLL_MS = 1000;

  @IntegerSetting(0, 600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @IntegerSetting(1, 1_000_000_000)
  READY_MAX_LAG = 10_000;
}

export function readAppConfig(env: Env = process.env): AppConfig {
  const settings = readEnvironment(AppEnvironment, env);
  return {
    host: settings.HOST,
    port: settings.PORT,
    bodyLimit: settings.BODY_LIMIT,
    httpRequestTimeoutMs: settings.HTTP_REQUEST_TIMEOUT_MS,
    httpHeadersTimeoutMs: settings.HTTP_HEADERS_TIMEOUT_MS,
    consistencyWaitMs: settings.CONSISTENCY_WAIT_MS,
    commandRetries: settings.COMMAND_RETRIES,
    idempotencyRetentionHours: settings.IDEMPOTENCY_RETENTION_HOURS,
    sagaAttempts: settings.SAGA_ATTEMPTS,
    sagaBackoffMs: settings.SAGA_BACKOFF_MS,
    pausedSubscriptions: list(settings.PAUSED_SUBSCRIPTIONS),
    snapshotEvery: snapshotEvery(settings.SNAPSHOT_EVERY),
    liveStreamsPerClient: settings.LIVE_STREAMS_PER_CLIENT,
    liveStreamStallMs: settings.LIVE_STREAM_STALL_MS,
    trustProxy: trustProxy(settings.TRUST_PROXY),
    sseHeartbeatMs: settings.SSE_HEARTBEAT_MS,
    subscriptionPollMs: settings.SUBSCRIPTION_POLL_MS,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
    readyMaxLag: settings.READY_MAX_LAG,
  };
}

export const appConfig = registerAs('app', () => readAppConfig());
