import { Transform } from 'class-transformer';

/**
 * Query strings arrive as text. Turns plain digits into a number and leaves anything else as it is,
 * so `@IsInt()` refuses `1.5`, `1e3`, ` 7` or a repeated parameter instead of coercing them.
 */
export function QueryInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );
}
