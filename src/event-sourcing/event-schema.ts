import { TObject, TProperties, Type } from '@sinclair/typebox';
import { TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { declaredEventTypes } from './event-type';

/** The schema of an event's data (or of an object inside it): the named fields, and no others. */
export function eventData<P extends TProperties>(properties: P, description?: string): TObject<P> {
  return Type.Object(properties, { additionalProperties: false, ...(description && { description }) });
}

/** An event whose stored data does not match its type's declared schema. */
export class EventDoesNotMatchSchema extends Error {
  constructor(type: string, problems: string[]) {
    super(`An event of type "${type}" does not match its schema: ${problems.join('; ')}`);
    this.name = 'EventDoesNotMatchSchema';
  }
}

let checking = false;
const checks = new Map<string, TypeCheck<TObject>>();

/**
 * From now on every append in this process checks each event's stored data against its type's schema.
 * The test suites turn it on (test/support/check-event-schemas.ts), so no schema can drift from what the
 * code stores; production appends skip the cost.
 */
export function checkEventSchemasAtAppend(): void {
  checking = true;
}

export function eventSchemaChecksOn(): boolean {
  return checking;
}

/** Throws EventDoesNotMatchSchema unless `data` (as stored, i.e. after JSON) matches the type's schema. */
export function assertMatchesSchema(type: string, data: unknown): void {
  let check = checks.get(type);
  if (check === undefined) {
    const declared = declaredEventTypes().get(type);
    if (declared === undefined) throw new Error(`Event type "${type}" is not declared`);
    check = TypeCompiler.Compile(declared.schema);
    checks.set(type, check);
  }
  if (check.Check(data)) return;
  throw new EventDoesNotMatchSchema(
    type,
    [...check.Errors(data)].slice(0, 5).map((error) => `${error.path || '/'} ${error.message}`),
  );
}
