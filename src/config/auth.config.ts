import { registerAs } from '@nestjs/config';
import { choiceVar, InvalidEnvironmentVariable, integerVar } from './env';

export interface AuthConfig {
  mode: 'off' | 'jwt';
  /** HS256 shared secret, or an RS256 public key (PEM): exactly one of them with AUTH_MODE=jwt. */
  secret: string | undefined;
  publicKey: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  /** Requests per client (token subject, else IP) per minute; 0 disables the limit. */
  rateLimitPerMinute: number;
  /** Longest accepted token lifetime, `exp` minus `iat` (or minus now, without `iat`). */
  maxTokenLifetimeS: number;
}

function optional(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const production = env.NODE_ENV === 'production';
  const mode = choiceVar(env, 'AUTH_MODE', production ? 'jwt' : 'off', ['off', 'jwt'] as const);
  if (production && mode === 'off') {
    throw new InvalidEnvironmentVariable(
      'AUTH_MODE',
      'off',
      'jwt when NODE_ENV=production (an audit log needs to know who wrote it)',
    );
  }
  const secret = optional(env, 'AUTH_JWT_SECRET');
  // PEM keys often arrive on one line with literal \n separators.
  const publicKey = optional(env, 'AUTH_JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  if (mode === 'jwt' && (secret === undefined) === (publicKey === undefined)) {
    throw new InvalidEnvironmentVariable(
      secret === undefined ? 'AUTH_JWT_SECRET' : 'AUTH_JWT_PUBLIC_KEY',
      '',
      'exactly one of AUTH_JWT_SECRET (HS256) or AUTH_JWT_PUBLIC_KEY (RS256, PEM) when AUTH_MODE=jwt',
    );
  }
  if (secret !== undefined && secret.length < 32) {
    throw new InvalidEnvironmentVariable('AUTH_JWT_SECRET', '(hidden)', 'at least 32 characters');
  }
  if (publicKey !== undefined && !publicKey.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new InvalidEnvironmentVariable(
      'AUTH_JWT_PUBLIC_KEY',
      '(hidden)',
      'a PEM public key (-----BEGIN PUBLIC KEY-----)',
    );
  }
  return {
    mode,
    secret,
    publicKey,
    issuer: optional(env, 'AUTH_JWT_ISSUER'),
    audience: optional(env, 'AUTH_JWT_AUDIENCE'),
    // Off by default where a developer runs it; behind a load balancer it needs TRUST_PROXY to tell clients apart.
    rateLimitPerMinute: integerVar(env, 'RATE_LIMIT_PER_MINUTE', production ? 6000 : 0, { min: 0, max: 10_000_000 }),
    maxTokenLifetimeS: integerVar(env, 'AUTH_MAX_TOKEN_LIFETIME_S', 86_400, { min: 1, max: 31_536_000 }),
  };
}

export const authConfig = registerAs('auth', () => readAuthConfig());
