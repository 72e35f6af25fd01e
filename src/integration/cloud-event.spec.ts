import { describe, expect, it } from '@jest/globals';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { eventData } from '../event-sourcing/event-schema';
import { declaredEventTypes, EventType } from '../event-sourcing/event-type';
import { EventTypeRegistry } from '../event-sourcing/event-type-registry';
import { cloudEventSchema, toCloudEvent } from './cloud-event';

@EventType('cloud-event-test.noted.v1', eventData({ note: Type.String() }), { public: true })
class Noted {
  constructor(readonly note: string) {}
}

const recorded = (metadata: Record<string, unknown>) => ({
  position: 7,
  transactionId: 0,
  eventId: '2b1e4c7a-9d3f-4e6b-8a5c-1f0e2d3c4b5a',
  streamId: 'note-1',
  streamVersion: 3,
  type: 'cloud-event-test.noted.v1',
  event: new Noted('hello'),
  metadata,
  recordedAt: new Date('2026-12-01T12:00:00.000Z'),
});

describe("a published CloudEvent's schema", () => {
  const schema = declaredEventTypes().get('cloud-event-test.noted.v1')!.schema;
  const check = TypeCompiler.Compile(cloudEventSchema('cloud-event-test.noted.v1', schema, '/ledgerline'));

  it.each([
    ['without tracing metadata', {}],
    [
      'with all of it',
      { correlationId: 'c-1', causationId: 'c-0', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    ],
  ])('matches what toCloudEvent makes, %s', (_case, metadata) => {
    const cloudEvent = toCloudEvent(recorded(metadata), new EventTypeRegistry(), '/ledgerline');
    expect([...check.Errors(cloudEvent)].map((error) => `${error.path} ${error.message}`)).toEqual([]);
  });

  it('refuses another type, another source and data outside the type schema', () => {
    const cloudEvent = toCloudEvent(recorded({}), new EventTypeRegistry(), '/ledgerline');
    expect(check.Check({ ...cloudEvent, type: 'cloud-event-test.noted.v2' })).toBe(false);
    expect(check.Check({ ...cloudEvent, source: '/elsewhere' })).toBe(false);
    expect(check.Check({ ...cloudEvent, data: { note: 1 } })).toBe(false);
  });
});
