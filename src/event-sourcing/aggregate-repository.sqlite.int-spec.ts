import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AggregateRepository } from './aggregate-repository';
import { newCommandContext } from './command-context';
import { ConcurrencyConflict } from './event-sourcing.errors';
import { EventStore } from './event-store';
import { Counter, CounterIncremented } from './testing/counter.fixture';
import { createEventSourcingTestModule } from './testing/event-sourcing-test-module';

/**
 * Retries after a lost race. SQLite's in-process queue makes the interleaving deterministic: an append
 * started while a command decides always commits before that command's own append.
 */
describe('AggregateRepository retries on SQLite', () => {
  let close: () => Promise<void>;
  let repository: AggregateRepository;
  let store: EventStore;

  beforeEach(async () => {
    const test = await createEventSourcingTestModule({});
    close = test.close;
    repository = test.module.get(AggregateRepository);
    store = test.module.get(EventStore);
  });
  afterEach(() => close());

  it('re-decides against the newer state when another writer got in first', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 5), newCommandContext());
    let decisions = 0;
    await repository.update(Counter, id, newCommandContext(), (counter) => {
      decisions += 1;
      if (decisions === 1) {
        // Another process appends between this load and this save.
        void store.append(`counter-${id}`, 1, [new CounterIncremented(4)]);
      }
      counter.increment(1);
    });
    expect(decisions).toBe(2);
    expect(await repository.load(Counter, id)).toMatchObject({ value: 5, increments: [4, 1] });
  });

  it('gives up with ConcurrencyConflict once the retries are spent', async () => {
    const id = randomUUID();
    await repository.save(Counter.start(id, 1000), newCommandContext());
    const attempt = repository.update(Counter, id, newCommandContext(), (counter) => {
      void store.append(`counter-${id}`, counter.version, [new CounterIncremented(1)]);
      counter.increment(1);
    });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyConflict);
  });
});
