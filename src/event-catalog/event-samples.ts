import type { TSchema } from '@sinclair/typebox';

/**
 * A small valid value of a JSON Schema as the event types declare them: the schema's first example when it
 * has one, else the least value its keywords allow. The catalog shows it as each message's example and
 * feeds it to projections and sagas to learn which events they consume.
 */
export function sampleOf(schema: TSchema): unknown {
  const examples = schema.examples as unknown[] | undefined;
  if (Array.isArray(examples) && examples.length > 0) return examples[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.anyOf)) return sampleOf((schema.anyOf as TSchema[])[0]!);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, TSchema>;
      return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, sampleOf(property)]));
    }
    case 'array':
      return [sampleOf(schema.items as TSchema)];
    case 'string':
      if (schema.pattern !== undefined)
        throw new Error(`A string schema with a pattern needs examples: ${schema.pattern}`);
      return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
    case 'integer':
    case 'number':
      return Math.max(1, Number(schema.minimum ?? 1));
    case 'boolean':
      return true;
    default:
      return null;
  }
}
