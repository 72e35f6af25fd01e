import { AppEnvironment } from './app.config';
import { AuthEnvironment } from './auth.config';
import { DatabaseEnvironment } from './database.config';
import { readEnvironment } from './environment';
import { NatsEnvironment } from './nats.config';
import { ObservabilityEnvironment } from './observability.config';
import { PersonalDataEnvironment } from './personal-data.config';

export const ENVIRONMENT_NAMESPACES: (new () => object)[] = [
  AppEnvironment,
  DatabaseEnvironment,
  AuthEnvironment,
  ObservabilityEnvironment,
  NatsEnvironment,
  PersonalDataEnvironment,
];

/**
 * Every namespace's settings, for `ConfigModule.forRoot({ validate })` and for main.ts before Nest starts.
 * The environment is returned as it came, so the typed values stay in the `registerAs` namespaces and
 * process.env gets no defaults written into it.
 */
export function validateEnvironment(env: Record<string, unknown>): Record<string, unknown> {
  for (const namespace of ENVIRONMENT_NAMESPACES) readEnvironment(namespace, env);
  return env;
}
