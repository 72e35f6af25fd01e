import { buildMessage, ValidateBy } from 'class-validator';

/**
 * Text lengths across the API count Unicode code points, as JSON Schema's minLength and maxLength do: an
 * emoji is one character whether it arrives in a body, a query or a path. (class-validator's `@Length`
 * counts differently, and `String.length` counts UTF-16 units.)
 */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** How the OpenAPI document and the error messages state a length rule. */
export function lengthRule(min: number, max: number): string {
  return `${min} to ${max} characters (Unicode code points)`;
}

/** The property is a string of `min` to `max` code points. */
export function CodePointLength(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'codePointLength',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && codePointLength(value) >= min && codePointLength(value) <= max,
      defaultMessage: buildMessage((each) => `${each}$property must be ${lengthRule(min, max)}`),
    },
  });
}
