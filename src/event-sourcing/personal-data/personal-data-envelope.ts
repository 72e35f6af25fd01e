import { open, seal } from './personal-data-cipher';
import type { PersonalDataDeclaration } from './personal-data';

type EventData = Record<string, unknown>;

/**
 * Where a stored event keeps its sealed personal fields, in place of the fields themselves:
 * `"personalData": { "keyId": "<uuid>", "fields": ["email", …], "ciphertext": "<base64 iv|ct|tag>" }`.
 * The field names are stored (they are no personal data) so that a reader, upcaster or not, knows what an
 * erased event lacks.
 */
export const ENVELOPE_FIELD = 'personalData';

export interface PersonalDataEnvelope {
  keyId: string;
  fields: string[];
  ciphertext: string;
}

/** A subject's data key, unwrapped. */
export interface DataKey {
  keyId: string;
  subjectId: string;
  key: Buffer;
}

/** What the ciphertext is bound to: the key and the event it belongs to. Moved elsewhere, it no longer opens. */
function associatedData(keyId: string, type: string, streamId: string): string {
  return `ledgerline:personal-data:v1\0${keyId}\0${type}\0${streamId}`;
}

/** The data's envelope, when it has one. */
export function envelopeOf(data: EventData): PersonalDataEnvelope | undefined {
  const envelope = data[ENVELOPE_FIELD] as Partial<PersonalDataEnvelope> | null | undefined;
  return typeof envelope === 'object' &&
    envelope !== null &&
    typeof envelope.keyId === 'string' &&
    typeof envelope.ciphertext === 'string' &&
    Array.isArray(envelope.fields)
    ? (envelope as PersonalDataEnvelope)
    : undefined;
}

/** The subject an event's data names, per its declaration (its id field, as a string). */
export function subjectOf(data: EventData, declaration: PersonalDataDeclaration): string {
  const subject = data[declaration.subject];
  if ((typeof subject !== 'string' && typeof subject !== 'number') || String(subject) === '') {
    throw new Error(`An event with personal data needs its subject in "${declaration.subject}"`);
  }
  return String(subject);
}

/** The stored form: the declared fields taken out and sealed under the subject's key, beside its id. */
export function sealFields(
  data: EventData,
  declaration: PersonalDataDeclaration,
  key: DataKey,
  type: string,
  streamId: string,
): EventData {
  const rest: EventData = { ...data };
  const personal: EventData = {};
  for (const field of declaration.fields) {
    if (field in rest) personal[field] = rest[field];
    delete rest[field];
  }
  const plaintext = Buffer.from(JSON.stringify(personal), 'utf8');
  const envelope: PersonalDataEnvelope = {
    keyId: key.keyId,
    fields: [...declaration.fields],
    ciphertext: seal(key.key, plaintext, associatedData(key.keyId, type, streamId)),
  };
  return { ...rest, [ENVELOPE_FIELD]: envelope };
}

/**
 * The data as the event was appended, its envelope opened with `key`; without a key (it was destroyed),
 * the sealed fields read as `null` and the data gets `erased: true`. Throws CannotOpen when the key does
 * not open it: that is a wrong key or changed bytes, never an erasure.
 */
export function openFields(data: EventData, key: DataKey | undefined, type: string, streamId: string): EventData {
  const envelope = envelopeOf(data);
  if (envelope === undefined) return data;
  const rest: EventData = { ...data };
  delete rest[ENVELOPE_FIELD];
  if (key === undefined) {
    for (const field of envelope.fields) rest[field] = null;
    return { ...rest, erased: true };
  }
  const where = `the personal data of an event in ${streamId}`;
  const plaintext = open(key.key, envelope.ciphertext, associatedData(envelope.keyId, type, streamId), where);
  return { ...rest, ...(JSON.parse(plaintext.toString('utf8')) as EventData) };
}
