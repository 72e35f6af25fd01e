import { Transform } from 'class-transformer';

/** Stream versions are 32-bit integers in the database. */
export const MAX_STREAM_VERSION = 2_147_483_647;

/**
 * Query strings arrive as text. Turns plain digits into a number and leaves anything else as it is,
 * so `@IsInt()` refuses `1.5`, `1e3`, ` 7` or a repeated parameter instead of coercing them.
 */
export function QueryInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );
}
