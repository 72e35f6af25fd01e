import { isIP } from 'node:net';

/**
 * Parsers for environment variables. Each one names the variable in its error so a bad deployment
 * stops at boot with a message an operator can act on, instead of failing later in a request.
 */
export class InvalidEnvironmentVariable extends Error {
  constructor(name: string, value: string, expected: string) {
    super(`Invalid environment variable ${name}=${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'InvalidEnvironmentVariable';
  }
}

type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function integerVar(
  env: Env,
  name: string,
  fallback: number,
  { min, max }: { min: number; max: number },
): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new InvalidEnvironmentVariable(name, value, `an integer from ${min} to ${max}`);
  }
  return parsed;
}

export function choiceVar<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new InvalidEnvironmentVariable(name, value, `one of ${choices.join(', ')}`);
  }
  return value as T;
}

export function stringVar(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

/** A size as express's body parser takes it: bytes (`1048576`) or with a unit (`100kb`, `1.5mb`). */
export function sizeVar(env: Env, name: string, fallback: string): string {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^(\d+ *b?|\d+(\.\d+)? *[kmgtp]b)$/i.test(value)) {
    throw new InvalidEnvironmentVariable(name, value, 'a size in bytes, or with a unit such as 512kb or 1mb');
  }
  return value;
}

/** A host name or IP address to listen on; undefined when unset. */
export function optionalHostVar(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  if (value === undefined || isIP(value) !== 0) return value;
  if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value)) {
    throw new InvalidEnvironmentVariable(name, value, 'an IP address or a host name');
  }
  return value;
}

export function optionalUrlVar(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidEnvironmentVariable(name, value, `a URL (${protocols.join(' or ')})`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new InvalidEnvironmentVariable(name, value, `a URL starting with ${protocols.join(' or ')}`);
  }
  return value;
}

/** A comma-separated list; empty entries are dropped. */
export function listVar(env: Env, name: string): string[] {
  return (raw(env, name) ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A plain SQL identifier (letters, digits, underscores), safe to interpolate into DDL. */
export function identifierVar(env: Env, name: string, fallback: string): string {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
    throw new InvalidEnvironmentVariable(name, value, 'a lower-case SQL identifier (a-z, 0-9, _; at most 63)');
  }
  return value;
}

/** `name:integer` pairs separated by commas, e.g. `shopping-cart:100,order:0`. */
export function integerMapVar(
  env: Env,
  name: string,
  { min, max }: { min: number; max: number },
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const entry of listVar(env, name)) {
    const match = /^([a-z0-9-]+):(\d{1,9})$/.exec(entry);
    const value = match === null ? NaN : Number(match[2]);
    if (match === null || value < min || value > max) {
      throw new InvalidEnvironmentVariable(
        name,
        entry,
        `category:integer pairs (integers ${min} to ${max}), comma-separated`,
      );
    }
    result[match[1]!] = value;
  }
  return result;
}

/** Subnet names express's `trust proxy` setting knows. */
const PROXY_SUBNETS = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Which proxies express may believe about the client's address (its `trust proxy` setting): `true` (any),
 * `false` (none, the default), a number of hops, or comma-separated addresses, CIDR subnets and the names
 * loopback, linklocal and uniquelocal.
 */
export function trustProxyVar(env: Env, name: string): boolean | number | string[] {
  const value = raw(env, name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,3}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!PROXY_SUBNETS.includes(entry) && (family === 0 || !validBits || rest.length > 0)) {
      throw new InvalidEnvironmentVariable(
        name,
        value,
        'true, false, a number of hops, or comma-separated IP addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal',
      );
    }
  }
  return entries;
}
