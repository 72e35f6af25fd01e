import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { map, Observable } from 'rxjs';
import { ANY_VERSION, EventStore, RecordedEvent } from '../event-store';
import { CounterIncremented, CounterStarted } from '../testing/counter.fixture';
import { createEventSourcingTestModule } from '../testing/event-sourcing-test-module';
import { SubscriptionStore } from '../typeorm/subscription-store';
import { ParkedEventNotFound, ParkedRetryFailed } from './subscription.errors';
import { ofRecordedType, Saga, SagaOf } from './saga';
import { SubscriptionRunner } from './subscription-runner';

class RecordStart extends Command<void> {
  constructor(readonly limit: number) {
    super();
  }
}

/** Fails while `failing` is set; otherwise records the start on the `starts` stream. */
@CommandHandler(RecordStart)
class RecordStartHandler implements ICommandHandler<RecordStart> {
  static failing = false;
  constructor(private readonly store: EventStore) {}
  async execute({ limit }: RecordStart): Promise<void> {
    if (RecordStartHandler.failing) throw new Error('downstream unavailable');
    await this.store.append('starts', ANY_VERSION, [new CounterIncremented(limit)]);
  }
}

@Injectable()
@SagaOf({ name: 'start-recorder' })
class StartRecorder implements Saga {
  react(events$: Observable<RecordedEvent>): Observable<RecordStart> {
    return events$.pipe(
      ofRecordedType(CounterStarted),
      map((recorded) => new RecordStart(recorded.event.limit)),
    );
  }
}

describe('sagas on their own subscription', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    RecordStartHandler.failing = false;
  });

  async function start() {
    const test = await createEventSourcingTestModule(
      { providers: [StartRecorder, RecordStartHandler] },
      { sagaAttempts: 2, sagaBackoffMs: 5, pollIntervalMs: 20 },
    );
    close = test.close;
    const store = test.module.get(EventStore);
    const parked = () => test.module.get(SubscriptionStore).parked('start-recorder');
    const recorded = async () =>
      (await store.readStream('starts')).map((event) => (event.event as CounterIncremented).by);
    return { store, runner: test.module.get(SubscriptionRunner), parked, recorded };
  }

  async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let tries = 0; tries < 200; tries += 1) {
      const value = await probe();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('condition not reached');
  }

  it('sends the command for each event once', async () => {
    const { store, runner, recorded } = await start();
    const { positions } = await store.append('counter-a', ANY_VERSION, [new CounterStarted(7), new CounterStarted(8)]);
    await runner.waitFor('start-recorder', positions.at(-1)!);
    expect(await recorded()).toEqual([7, 8]);
  });

  it('parks an event whose commands keep failing, goes on with the next, and retries it on request', async () => {
    const { store, runner, parked, recorded } = await start();
    RecordStartHandler.failing = true;
    const { positions } = await store.append('counter-b', ANY_VERSION, [new CounterStarted(1)]);
    const [entry] = await eventually(parked, (list) => list.length === 1);
    expect(entry).toMatchObject({ position: positions[0], attempts: 2, error: 'Error: downstream unavailable' });

    RecordStartHandler.failing = false;
    const next = await store.append('counter-c', ANY_VERSION, [new CounterStarted(2)]);
    await runner.waitFor('start-recorder', next.positions[0]!);
    expect(await recorded()).toEqual([2]);

    RecordStartHandler.failing = true;
    await expect(runner.retryParked('start-recorder', positions[0]!)).rejects.toBeInstanceOf(ParkedRetryFailed);
    expect(await parked()).toMatchObject([{ position: positions[0], attempts: 3 }]);

    RecordStartHandler.failing = false;
    await runner.retryParked('start-recorder', positions[0]!);
    expect(await parked()).toEqual([]);
    expect(await recorded()).toEqual([2, 1]);
    await expect(runner.retryParked('start-recorder', positions[0]!)).rejects.toBeInstanceOf(ParkedEventNotFound);
  });
});
