import { registerAs } from '@nestjs/config';
import { integerVar, InvalidEnvironmentVariable, listVar, stringVar } from './env';

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

type Env = Record<string, string | undefined>;

const SUBJECT_TOKENS = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function servers(env: Env): string[] {
  return listVar(env, 'NATS_URL').map((server) => {
    let url: URL | undefined;
    try {
      url = new URL(server);
    } catch {
      url = undefined;
    }
    if (url === undefined || !['nats:', 'tls:'].includes(url.protocol) || url.hostname === '') {
      throw new InvalidEnvironmentVariable('NATS_URL', server, 'nats://host:port URLs (tls:// too), comma-separated');
    }
    return server;
  });
}

function matching(env: Env, name: string, fallback: string, pattern: RegExp, expected: string): string {
  const value = stringVar(env, name, fallback);
  if (!pattern.test(value)) throw new InvalidEnvironmentVariable(name, value, expected);
  return value;
}

export function readNatsConfig(env: Env = process.env): NatsConfig {
  const streamName = 'a JetStream stream name (letters, digits, - and _; at most 64)';
  const subjectTokens = 'dot-separated subject tokens of letters, digits, - and _ (no wildcards)';
  return {
    servers: servers(env),
    subjectPrefix: matching(env, 'NATS_SUBJECT_PREFIX', 'ledgerline', SUBJECT_TOKENS, subjectTokens),
    stream: matching(env, 'NATS_STREAM', 'LEDGERLINE', STREAM_NAME, streamName),
    duplicateWindowS: integerVar(env, 'NATS_DUPLICATE_WINDOW_S', 120, { min: 1, max: 604_800 }),
    source: matching(env, 'NATS_SOURCE', '/ledgerline', /^\S{1,1000}$/, 'a URI reference without spaces'),
    paymentsStream: matching(env, 'NATS_PAYMENTS_STREAM', 'PAYMENTS', STREAM_NAME, streamName),
    paymentsSubjectPrefix: matching(env, 'NATS_PAYMENTS_SUBJECT_PREFIX', 'payments', SUBJECT_TOKENS, subjectTokens),
  };
}

export const natsConfig = registerAs('nats', () => readNatsConfig());
