import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { Env, IntegerSetting, isServerList, list, readEnvironment, SettingThat } from './environment';

export interface NatsConfig {
  /** The broker's URLs; empty when NATS_URL is unset, and then nothing is published or consumed. */
  servers: string[];
  /** Subjects are `<subjectPrefix>.<event type>`. */
  subjectPrefix: string;
  /** The JetStream stream holding our integration events (subjects `<subjectPrefix>.>`). */
  stream: string;
  /** How long the broker remembers a message id to drop a republished duplicate. */
  duplicateWindowS: number;
  /** The CloudEvents `source` of every event we publish. */
  source: string;
  /** The JetStream stream the payment service writes to (subjects `<paymentsSubjectPrefix>.>`). */
  paymentsStream: string;
  /** Captured payments arrive on `<paymentsSubjectPrefix>.captured`. */
  paymentsSubjectPrefix: string;
}

const SUBJECT_TOKENS = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const streamName = { message: 'a JetStream stream name (letters, digits, - and _; at most 64)' };
const subjectTokens = { message: 'dot-separated subject tokens of letters, digits, - and _ (no wildcards)' };

/** The environment variables behind NatsConfig, with their defaults. */
export class NatsEnvironment {
  @IsOptional()
  @SettingThat(
    (value) => isServerList(value!, ['nats:', 'tls:']),
    'nats://host:port URLs (tls:// too), comma-separated',
  )
  NATS_URL?: string;

  @Matches(SUBJECT_TOKENS, subjectTokens)
  NATS_SUBJECT_PREFIX = 'ledgerline';

  @Matches(STREAM_NAME, streamName)
  NATS_STREAM = 'LEDGERLINE';

  @IntegerSetting(1, 604_800)
  NATS_DUPLICATE_WINDOW_S = 120;

  @Matches(/^\S{1,1000}$/, { message: 'a URI reference without spaces' })
  NATS_SOURCE = '/ledgerline';

  @Matches(STREAM_NAME, streamName)
  NATS_PAYMENTS_STREAM = 'PAYMENTS';

  @Matches(SUBJECT_TOKENS, subjectTokens)
  NATS_PAYMENTS_SUBJECT_PREFIX = 'payments';
}

export function readNatsConfig(env: Env = process.env): NatsConfig {
  const settings = readEnvironment(NatsEnvironment, env);
  return {
    servers: list(settings.NATS_URL),
    subjectPrefix: settings.NATS_SUBJECT_PREFIX,
    stream: settings.NATS_STREAM,
    duplicateWindowS: settings.NATS_DUPLICATE_WINDOW_S,
    source: settings.NATS_SOURCE,
    paymentsStream: settings.NATS_PAYMENTS_STREAM,
    paymentsSubjectPrefix: settings.NATS_PAYMENTS_SUBJECT_PREFIX,
  };
}

export const natsConfig = registerAs('nats', () => readNatsConfig());
