import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, eventHash, GENESIS_HASH, HashedEvent } from './event-hash';

const event: HashedEvent = {
  streamId: 'counter-1',
  streamVersion: 1,
  type: 'counter-test.incremented.v1',
  data: { note: 'Grüße 👋', by: 2 },
  metadata: { correlationId: 'c-1' },
  recordedAt: new Date('2026-11-26T11:20:00.123Z'),
};

/** Reverses the key order of every object, as jsonb may hand it back. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reorder(item)]),
  );
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }, 1], a: { y: true, x: 'é' } })).toBe(
      '{"a":{"x":"é","y":true},"b":[3,{"a":null,"z":1},1]}',
    );
  });

  it('gives the same text for any key order, and parses back to what JSON.stringify would have stored', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reorder(value))).toBe(canonicalJson(value));
        // Compared after a round trip, since JSON has no -0 either.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses what is not a JSON value instead of dropping it', () => {
    for (const value of [undefined, NaN, Infinity, 1n, new Date(0), { a: undefined }, [() => 1]]) {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    }
  });
});

describe('eventHash', () => {
  it('matches a known vector: SHA-256 of the previous hash and the canonical event', () => {
    // printf '%s' '<64 zeros>{"data":{"by":2,"note":"Grüße 👋"},"metadata":{"correlationId":"c-1"},
    //   "recordedAt":"2026-11-26T11:20:00.123Z","streamId":"counter-1","streamVersion":1,
    //   "type":"counter-test.incremented.v1"}' | sha256sum
    expect(eventHash(GENESIS_HASH, event)).toBe('ec4d3603517a74212ec36ba0fa3039866c85a2804b41bac8edbb72e3d84cd081');
  });

  it('does not depend on the key order of data or metadata', () => {
    const reordered = { ...event, data: reorder(event.data), metadata: reorder(event.metadata) };
    expect(eventHash(GENESIS_HASH, reordered)).toBe(eventHash(GENESIS_HASH, event));
  });

  it.each<[string, Partial<HashedEvent>]>([
    ['stream id', { streamId: 'counter-2' }],
    ['stream version', { streamVersion: 2 }],
    ['type', { type: 'counter-test.started.v1' }],
    ['data', { data: { note: 'Grüße 👋', by: 3 } }],
    ['data (a string for a number)', { data: { note: 'Grüße 👋', by: '2' } }],
    ['metadata', { metadata: { correlationId: 'c-2' } }],
    ['metadata (a key more)', { metadata: { correlationId: 'c-1', actor: 'mallory' } }],
    ['recorded at (one millisecond)', { recordedAt: new Date('2026-11-26T11:20:00.124Z') }],
  ])('changes with the %s', (_field, change) => {
    expect(eventHash(GENESIS_HASH, { ...event, ...change })).not.toBe(eventHash(GENESIS_HASH, event));
  });

  it('changes with the previous hash, so each event seals its whole history', () => {
    const first = eventHash(GENESIS_HASH, event);
    expect(eventHash(first, { ...event, streamVersion: 2 })).not.toBe(
      eventHash(GENESIS_HASH, { ...event, streamVersion: 2 }),
    );
  });

  it('refuses an invalid recorded-at time', () => {
    expect(() => eventHash(GENESIS_HASH, { ...event, recordedAt: new Date('not a date') })).toThrow(RangeError);
  });
});
