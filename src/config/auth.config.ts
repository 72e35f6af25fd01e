import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from 'class-validator';
import { Env, IntegerSetting, readEnvironment, SECRET_SETTING, SettingThat } from './environment';

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

const AUTH_MODES = ['off', 'jwt'] as const;
const PEM_PUBLIC_KEY = '-----BEGIN PUBLIC KEY-----';
const ONE_KEY = 'exactly one of AUTH_JWT_SECRET (HS256) or AUTH_JWT_PUBLIC_KEY (RS256, PEM) when AUTH_MODE=jwt';

function production(settings: { NODE_ENV?: unknown }): boolean {
  return settings.NODE_ENV === 'production';
}

function mode(settings: Record<string, unknown>): string {
  return (settings.AUTH_MODE as string | undefined) ?? (production(settings) ? 'jwt' : 'off');
}

/** With AUTH_MODE=jwt, one key verifies tokens: a shared secret or a public key, never both or neither. */
function missingOrDoubleKey(settings: Record<string, unknown>): boolean {
  return (
    mode(settings) === 'jwt' &&
    (settings.AUTH_JWT_SECRET === undefined) === (settings.AUTH_JWT_PUBLIC_KEY === undefined)
  );
}

/** The environment variables behind AuthConfig; the mode and the rate limit default by NODE_ENV. */
export class AuthEnvironment {
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  @IsOptional()
  @SettingThat(
    (value, settings) =>
      (AUTH_MODES as readonly string[]).includes(value!) && !(production(settings) && value === 'off'),
    (value) =>
      value === 'off'
        ? 'jwt when NODE_ENV=production (an audit log needs to know who wrote it)'
        : `one of ${AUTH_MODES.join(', ')}`,
  )
  AUTH_MODE?: (typeof AUTH_MODES)[number];

  // Reported here when both keys are missing, on the public key when both are given.
  @SettingThat(
    (value, settings) =>
      value === undefined ? !missingOrDoubleKey(settings) : missingOrDoubleKey(settings) || value.length >= 32,
    (value) => (value === undefined ? ONE_KEY : 'at least 32 characters'),
    SECRET_SETTING,
  )
  AUTH_JWT_SECRET?: string;

  @SettingThat(
    (value, settings) => value === undefined || (!missingOrDoubleKey(settings) && value.includes(PEM_PUBLIC_KEY)),
    (_, settings) => (missingOrDoubleKey(settings) ? ONE_KEY : `a PEM public key (${PEM_PUBLIC_KEY})`),
    SECRET_SETTING,
  )
  AUTH_JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @IsOptional()
  @IntegerSetting(0, 10_000_000)
  RATE_LIMIT_PER_MINUTE?: number;

  @IntegerSetting(1, 31_536_000)
  AUTH_MAX_TOKEN_LIFETIME_S = 86_400;
}

export function readAuthConfig(env: Env = process.env): AuthConfig {
  const settings = readEnvironment(AuthEnvironment, env);
  return {
    mode: settings.AUTH_MODE ?? (production(settings) ? 'jwt' : 'off'),
    secret: settings.AUTH_JWT_SECRET,
    // PEM keys often arrive on one line with literal \n separators.
    publicKey: settings.AUTH_JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
    issuer: settings.AUTH_JWT_ISSUER,
    audience: settings.AUTH_JWT_AUDIENCE,
    // Off by default where a developer runs it; behind a load balancer it needs TRUST_PROXY to tell clients apart.
    rateLimitPerMinute: settings.RATE_LIMIT_PER_MINUTE ?? (production(settings) ? 6000 : 0),
    maxTokenLifetimeS: settings.AUTH_MAX_TOKEN_LIFETIME_S,
  };
}

export const authConfig = registerAs('auth', () => readAuthConfig());
