import { describe, expect, it } from '@jest/globals';
import { Type } from '@sinclair/typebox';
import { ANY_VERSION } from './event-store';
import { eventData, EventDoesNotMatchSchema } from './event-schema';
import { declareUpcaster, EventType } from './event-type';
import { EventTypeRegistry } from './event-type-registry';
import { InMemoryEventStore } from './testing/in-memory-event-store';

@EventType('schema-test.noted.v1', eventData({ note: Type.String() }))
class NotedV1 {
  constructor(readonly note: string) {}
}

@EventType('schema-test.noted.v2', eventData({ note: Type.String(), by: Type.String() }))
class NotedV2 {
  constructor(
    readonly note: string,
    readonly by: string,
  ) {}
}

@EventType(
  'schema-test.noted.v3',
  eventData({ text: Type.String(), by: Type.String(), tags: Type.Array(Type.String()) }),
)
class Noted {
  constructor(
    readonly text: string,
    readonly by: string,
    readonly tags: string[],
  ) {}
}

/** Keeps a field its schema does not name: the compiler cannot see it, the check at append does. */
@EventType('schema-test.drifted.v1', eventData({ note: Type.String() }))
class Drifted {
  readonly extra = 'not in the schema';
  constructor(readonly note: string) {}
}

declareUpcaster(NotedV1, NotedV2, ({ note }) => ({ note, by: 'unknown' }));
declareUpcaster(NotedV2, Noted, ({ note, by }) => ({ text: note, by, tags: [] }));

describe('event schemas, checked at append in every test', () => {
  it('let events that match them through', async () => {
    const store = new InMemoryEventStore();
    await expect(store.append('s-1', ANY_VERSION, [new Noted('hi', 'ann', ['a'])])).resolves.toMatchObject({
      version: 1,
    });
  });

  it('refuse a field the schema does not name, and a field of the wrong type, appending nothing', async () => {
    const store = new InMemoryEventStore();
    await expect(store.append('s-2', ANY_VERSION, [new Drifted('hi')])).rejects.toThrow(
      /schema-test\.drifted\.v1.*extra/,
    );
    const wrong = Object.assign(new NotedV1('hi'), { note: 42 });
    await expect(store.append('s-2', ANY_VERSION, [new NotedV1('fine'), wrong])).rejects.toBeInstanceOf(
      EventDoesNotMatchSchema,
    );
    expect(await store.readStream('s-2')).toEqual([]);
  });
});

describe('upcasters', () => {
  it('read an old version through the whole chain as an instance of the current class', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-3', ANY_VERSION, [new NotedV1('old'), new NotedV2('newer', 'bob')]);
    const recorded = await store.readStream('s-3');
    expect(recorded.map((one) => one.type)).toEqual(['schema-test.noted.v3', 'schema-test.noted.v3']);
    const events = recorded.map((one) => one.event);
    expect(events).toEqual([new Noted('old', 'unknown', []), new Noted('newer', 'bob', [])]);
    expect(events.every((event) => event instanceof Noted)).toBe(true);
    expect(new EventTypeRegistry().serialize(events[0]!).type).toBe('schema-test.noted.v3');
  });

  it('are declared once per version', () => {
    expect(() => declareUpcaster(NotedV1, Noted, ({ note }) => ({ text: note, by: '', tags: [] }))).toThrow(
      /already declared/,
    );
  });
});
