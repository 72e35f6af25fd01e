import { declaredEventTypes, EventClass } from '../event-type';

/**
 * Which fields of an event class are personal data, and whose. Those fields are stored encrypted under a
 * key of the data subject (crypto-shredding): destroying
 * the subject's key erases every copy in the event log at once, while the stored rows, and so the hash
 * chain over them, never change.
 */
export interface PersonalDataDeclaration {
  /** The field holding the data subject's id, e.g. `customerId`. It is not itself encrypted. */
  subject: string;
  /** The top-level fields stored encrypted. Read back as `null` (with `erased: true`) once the key is gone. */
  fields: readonly string[];
}

const PERSONAL_DATA = Symbol('ledgerline:personal-data');

/**
 * Declares the personal fields of an event class and the field naming their subject:
 * `@PersonalData<CartCheckedOut>({ subject: 'customerId', fields: ['email', 'shippingAddress'] })`.
 * The fields must be nullable in the event's schema: an erased event reads them as `null`.
 */
export function PersonalData<E extends object>(declaration: {
  subject: keyof E & string;
  fields: readonly (keyof E & string)[];
}) {
  return (target: EventClass<E>): void => {
    if (declaration.fields.length === 0 || declaration.fields.includes(declaration.subject)) {
      throw new Error(`${target.name}: personal fields must be named, and the subject's id is not one of them`);
    }
    Object.defineProperty(target, PERSONAL_DATA, {
      value: { subject: declaration.subject, fields: [...declaration.fields] } satisfies PersonalDataDeclaration,
    });
  };
}

/** The personal-data declaration of an event class or instance, if it has one. */
export function personalDataOf(eventOrClass: object): PersonalDataDeclaration | undefined {
  const target = typeof eventOrClass === 'function' ? eventOrClass : eventOrClass.constructor;
  return (target as unknown as Record<symbol, PersonalDataDeclaration | undefined>)[PERSONAL_DATA];
}

/** The personal-data declaration of a declared event type, by stored name. */
export function personalDataOfType(type: string): PersonalDataDeclaration | undefined {
  const declared = declaredEventTypes().get(type);
  return declared && personalDataOf(declared.eventClass);
}

/**
 * Whether an event read back lost its personal fields to an erasure: they read as `null` then, and the
 * event carries `erased: true` (which its schema need not declare: it is added on reading, never stored).
 */
export function isErased(event: object): boolean {
  return (event as { erased?: unknown }).erased === true;
}
