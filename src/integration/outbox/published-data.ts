import { TObject, Type } from '@sinclair/typebox';
import { personalDataOfType } from '../../event-sourcing/personal-data/personal-data';

/**
 * Personal data never leaves the service through the broker: a published event carries none of the fields
 * its class declares personal, neither in plaintext nor encrypted, and no `erased` mark. Once a message is
 * in JetStream we cannot take it back, and every consumer would hold a copy that an erasure cannot reach;
 * consumers that need a contact ask us for it, and `customer.personal-data-erased.v1` (public) tells them to
 * forget what they derived. The HTTP feeds are another matter: they show what the store reads.
 */
export function publishedData(type: string, data: Record<string, unknown>): Record<string, unknown> {
  const personal = personalDataOfType(type);
  if (personal === undefined) return data;
  const withheld = new Set<string>([...personal.fields, 'erased']);
  return Object.fromEntries(Object.entries(data).filter(([field]) => !withheld.has(field)));
}

/** The schema of what `publishedData` leaves of the type's data: the stored schema without the personal fields. */
export function publishedSchema(type: string, schema: TObject): TObject {
  const personal = personalDataOfType(type);
  if (personal === undefined) return schema;
  return Type.Omit(schema, [...personal.fields], {
    additionalProperties: false,
    description: `${personal.fields.join(', ')} withheld: personal data is not published`,
  });
}
