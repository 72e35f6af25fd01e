import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  Max,
  Min,
  ValidateBy,
  validateSync,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

/**
 * The environment is checked by one class-validator class per configuration namespace (AppEnvironment,
 * DatabaseEnvironment, …): `ConfigModule.forRoot({ validate })` runs them all, and each `registerAs` factory
 * runs its own again, since tests change the environment after the module was imported. A failure names the
 * variable in one line, so a bad deployment stops at boot with a message an operator can act on.
 */
export class InvalidEnvironmentVariable extends Error {
  constructor(name: string, value: string, expected: string) {
    super(`Invalid environment variable ${name}=${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'InvalidEnvironmentVariable';
  }
}

export type Env = Record<string, string | undefined>;

/** Marks a setting whose value must never appear in an error message. */
export const SECRET_SETTING: ValidationOptions = { context: { secret: true } };

/** Values trimmed; a blank one counts as unset, so the class's default applies. */
function present(env: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' && value.trim() !== '') result[name] = value.trim();
  }
  return result;
}

/** The environment as an instance of `type`, defaults filled in; throws on the first setting that fails. */
export function readEnvironment<T extends object>(type: new () => T, env: Record<string, unknown>): T {
  const values = present(env);
  const settings = plainToInstance(type, values);
  const [failure] = validateSync(settings, { stopAtFirstError: true });
  if (failure !== undefined) {
    const [[constraint, expected] = ['', 'a valid value']] = Object.entries(failure.constraints ?? {});
    const secret = (failure.contexts?.[constraint] as { secret?: boolean } | undefined)?.secret === true;
    const given = values[failure.property] ?? (failure.value === undefined ? '' : String(failure.value));
    throw new InvalidEnvironmentVariable(failure.property, secret && given !== '' ? '(hidden)' : given, expected);
  }
  return settings;
}

/** An integer setting; anything but plain digits (`1e3`, `0x10`, `5.0`) is refused rather than converted. */
export function IntegerSetting(min: number, max: number): PropertyDecorator {
  const message = `an integer from ${min} to ${max}`;
  return (target, property) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN,
    )(target, property);
    IsInt({ message })(target, property);
    Min(min, { message })(target, property);
    Max(max, { message })(target, property);
  };
}

export function ChoiceSetting(choices: readonly string[]): PropertyDecorator {
  return IsIn([...choices], { message: `one of ${choices.join(', ')}` });
}

/** A setting `test` accepts, or one `expected` describes (a text, or one built from the failing value). */
export function SettingThat(
  test: (value: string | undefined, settings: Record<string, unknown>) => boolean,
  expected: string | ((value: string | undefined, settings: Record<string, unknown>) => string),
  options: ValidationOptions = {},
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'setting',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          test(value as string | undefined, args!.object as Record<string, unknown>),
      },
    },
    {
      ...options,
      message:
        typeof expected === 'string'
          ? expected
          : (args) => expected(args.value as string | undefined, args.object as Record<string, unknown>),
    },
  );
}

/** A size as express's body parser takes it: bytes (`1048576`) or with a unit (`100kb`, `1.5mb`). */
export function isSize(value: string): boolean {
  return /^(\d+ *b?|\d+(\.\d+)? *[kmgtp]b)$/i.test(value);
}

/** An IP address or a host name. */
export function isHost(value: string): boolean {
  return (
    isIP(value) !== 0 ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value)
  );
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** A URL with one of `protocols` (`postgres:`, `https:` …). */
export function UrlSetting(protocols: readonly string[]): PropertyDecorator {
  return SettingThat(
    (value) => value === undefined || protocols.includes(parsedUrl(value)?.protocol ?? ''),
    (value) =>
      value !== undefined && parsedUrl(value) !== undefined
        ? `a URL starting with ${protocols.join(' or ')}`
        : `a URL (${protocols.join(' or ')})`,
  );
}

/** `nats://host:port` (or `tls://`) URLs, comma-separated. */
export function isServerList(value: string, protocols: readonly string[]): boolean {
  return list(value).every((server) => {
    const url = parsedUrl(server);
    return url !== undefined && protocols.includes(url.protocol) && url.hostname !== '';
  });
}

/** A comma-separated list; empty entries are dropped. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
