import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EventBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { AggregateRepository } from './aggregate-repository';
import { newCommandContext } from './command-context';
import { AggregateNotFound, PreconditionFailed, VersionNotFound, WrongExpectedVersion } from './event-sourcing.errors';
import { EventStore } from './event-store';
import {
  Counter,
  CounterBelowZero,
  CounterIncremented,
  CounterLimitReached,
  CounterStarted,
} from './testing/counter.fixture';
import { createEventSourcingTestModule } from './testing/event-sourcing-test-module';

describe('AggregateRepository', () => {
  let close: () => Promise<void>;
  let repository: AggregateRepository;
  let store: EventStore;
  let published: object[];

  beforeEach(async () => {
    const test = await createEventSourcingTestModule({});
    close = test.close;
    repository = test.module.get(AggregateRepository);
    store = test.module.get(EventStore);
    published = [];
    test.module.get(EventBus).subscribe((event: object) => published.push(event));
  });
  afterEach(() => close());

  it('saves new events, clears them from the aggregate and only then publishes them', async () => {
    const counter = Counter.start(randomUUID(), 10);
    counter.increment(3);
    const context = newCommandContext({ actor: 'tester' });
    const result = await repository.save(counter, context);
    expect(result.version).toBe(2);
    expect(counter.getUncommittedEvents()).toEqual([]);
    expect(counter.persistedVersion).toBe(2);
    expect(published).toEqual([new CounterStarted(10), new CounterIncremented(3)]);
    const stored = await store.readStream(`counter-${counter.id}`);
    expect(stored.map((e) => e.metadata)).toEqual([
      {
        commandId: context.commandId,
        correlationId: context.correlationId,
        causationId: context.commandId,
        actor: 'tester',
      },
      {
        commandId: context.commandId,
        correlationId: context.correlationId,
        causationId: context.commandId,
        actor: 'tester',
      },
    ]);
  });

  it('publishes nothing when the append fails', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 10), newCommandContext());
    published.length = 0;
    const stale = await repository.load(Counter, id);
    const fresh = await repository.load(Counter, id);
    fresh.increment(1);
    await repository.save(fresh, newCommandContext());
    published.length = 0;
    stale.increment(2);
    await expect(repository.save(stale, newCommandContext())).rejects.toBeInstanceOf(WrongExpectedVersion);
    expect(published).toEqual([]);
    expect((await repository.load(Counter, id)).value).toBe(1);
  });

  it('loads the latest state, or the state at a version, and names what is missing', async () => {
    const id = randomUUID();
    const counter = Counter.start(id, 100);
    for (const by of [1, 2, 3]) counter.increment(by);
    await repository.save(counter, newCommandContext());
    expect(await repository.load(Counter, id)).toMatchObject({ value: 6, version: 4 });
    expect(await repository.load(Counter, id, { toVersion: 2 })).toMatchObject({ value: 1, version: 2 });
    await expect(repository.load(Counter, id, { toVersion: 5 })).rejects.toBeInstanceOf(VersionNotFound);
    await expect(repository.load(Counter, randomUUID())).rejects.toBeInstanceOf(AggregateNotFound);
  });

  it('applies every one of many concurrent blind updates to one aggregate', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 1000), newCommandContext());
    await Promise.all(
      Array.from({ length: 50 }, () => repository.update(Counter, id, newCommandContext(), (c) => c.increment(1))),
    );
    expect(await repository.load(Counter, id)).toMatchObject({ value: 50, version: 51 });
  });

  it('decides on the real state when another process moved a stream this one remembers', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 10), newCommandContext());
    await repository.update(Counter, id, newCommandContext(), (c) => c.increment(1));
    // Another process appends behind this one's back: the stream is at version 3, value 6.
    await store.append(`counter-${id}`, 2, [new CounterIncremented(5)]);
    await expect(repository.update(Counter, id, newCommandContext(), (c) => c.increment(5))).rejects.toBeInstanceOf(
      CounterLimitReached,
    );
    await expect(
      repository.update(Counter, id, newCommandContext({ expectedVersion: 3 }), (c) => c.increment(4)),
    ).resolves.toMatchObject({ version: 4 });
    expect(await repository.load(Counter, id)).toMatchObject({ value: 10, version: 4 });
  });

  it('re-decides on the stored state when a remembered aggregate refuses a command another process made valid', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 10), newCommandContext());
    await repository.update(Counter, id, newCommandContext(), (c) => c.increment(1));
    // Another instance moves the stream on: value 6 in storage, 1 in this process's memory.
    await store.append(`counter-${id}`, 2, [new CounterIncremented(5)]);
    await expect(repository.update(Counter, id, newCommandContext(), (c) => c.decrement(4))).resolves.toMatchObject({
      version: 4,
    });
    expect(await repository.load(Counter, id)).toMatchObject({ value: 2, version: 4 });
    // A refusal that holds on the stored state still reaches the caller.
    await expect(repository.update(Counter, id, newCommandContext(), (c) => c.decrement(3))).rejects.toBeInstanceOf(
      CounterBelowZero,
    );
  });

  it('forgets an aggregate whose decision failed half-way, so the next command sees only stored events', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 10), newCommandContext());
    const halfWay = repository.update(Counter, id, newCommandContext(), (counter) => {
      counter.increment(3);
      throw new Error('refused after applying');
    });
    await expect(halfWay).rejects.toThrow('refused after applying');
    await repository.update(Counter, id, newCommandContext(), (counter) => counter.increment(1));
    expect(await repository.load(Counter, id)).toMatchObject({ value: 1, version: 2, increments: [1] });
  });

  it('fails an If-Match update on a moved aggregate without retrying', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 10), newCommandContext());
    await repository.update(Counter, id, newCommandContext(), (c) => c.increment(1));
    let decided = false;
    const attempt = repository.update(Counter, id, newCommandContext({ expectedVersion: 1 }), (c) => {
      decided = true;
      c.increment(1);
    });
    await expect(attempt).rejects.toBeInstanceOf(PreconditionFailed);
    await expect(attempt).rejects.toMatchObject({ actualVersion: 2 });
    expect(decided).toBe(false);
    await expect(
      repository.update(Counter, id, newCommandContext({ expectedVersion: 2 }), (c) => c.increment(1)),
    ).resolves.toMatchObject({ version: 3 });
  });
});
