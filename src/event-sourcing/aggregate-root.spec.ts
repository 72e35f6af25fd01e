import { describe, expect, it } from '@jest/globals';
import { Counter, CounterIncremented, CounterStarted } from './testing/counter.fixture';
import { Type } from '@sinclair/typebox';
import { eventData } from './event-schema';
import { EventType } from './event-type';
import { EventSourcedAggregate, On } from './aggregate-root';

describe('EventSourcedAggregate', () => {
  const history = [new CounterStarted(10), new CounterIncremented(2), new CounterIncremented(3)];

  it('yields equal state when the same events are replayed twice', () => {
    const first = new Counter('c');
    const second = new Counter('c');
    first.replay(history);
    second.replay(history);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ value: 5, limit: 10, version: 3, persistedVersion: 3 });
    expect(first.getUncommittedEvents()).toEqual([]);
  });

  it('counts applied events in its version and keeps them uncommitted until saved', () => {
    const counter = new Counter('c');
    counter.replay(history);
    counter.increment(4);
    expect(counter.version).toBe(4);
    expect(counter.persistedVersion).toBe(3);
    expect(counter.getUncommittedEvents()).toEqual([new CounterIncremented(4)]);
  });

  it('dispatches by the declared event type, so renaming the class changes nothing', () => {
    @EventType('counter-test.renamed-event.v1', eventData({ note: Type.String() }))
    class BeforeRename {
      constructor(readonly note: string) {}
    }
    class Noted extends EventSourcedAggregate {
      static readonly streamCategory = 'noted';
      notes: string[] = [];
      @On(BeforeRename)
      protected noted(event: BeforeRename): void {
        this.notes.push(event.note);
      }
    }
    // What a refactoring or a minifier does to the class: only its name changes.
    Object.defineProperty(BeforeRename, 'name', { value: 'AfterRename' });
    const aggregate = new Noted('n');
    aggregate.replay([new BeforeRename('kept')]);
    expect(aggregate.notes).toEqual(['kept']);
    expect(new BeforeRename('x').constructor.name).toBe('AfterRename');
  });
});
