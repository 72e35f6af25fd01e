import { expect } from '@jest/globals';
import { Provider, Type } from '@nestjs/common';
import { Command, CommandBus, CqrsModule, ICommandHandler } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { AggregateRepository } from '../aggregate-repository';
import { EVENT_SOURCING_OPTIONS } from '../event-sourcing.options';
import { ANY_VERSION, EventStore } from '../event-store';
import { InMemoryEventStore } from './in-memory-event-store';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { InMemorySnapshotStore } from './in-memory-snapshot-store';
import { TEST_EVENT_SOURCING_OPTIONS } from './event-sourcing-test-module';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface Scenario {
  /** Events already in the stream before the command. */
  given(...history: object[]): {
    when(command: Command<unknown>): {
      /** The command succeeds and appends exactly these events. */
      then(...expected: object[]): Promise<void>;
      /** The command fails with this error and appends nothing. */
      thenFails(error: ErrorClass, message?: string | RegExp): Promise<void>;
    };
  };
}

/**
 * Given events / when command / then events (or error), with the real command handlers running over
 * an in-memory event store through the real CommandBus and AggregateRepository.
 */
export function commandScenario(setup: { streamId: string; handlers: Type<ICommandHandler>[] }): Scenario {
  return {
    given: (...history) => ({
      when: (command) => {
        const run = async () => {
          const store = new InMemoryEventStore();
          if (history.length > 0) await store.append(setup.streamId, ANY_VERSION, history);
          const providers: Provider[] = [
            ...setup.handlers,
            AggregateRepository,
            { provide: EventStore, useValue: store },
            { provide: SnapshotStore, useValue: new InMemorySnapshotStore() },
            { provide: EVENT_SOURCING_OPTIONS, useValue: TEST_EVENT_SOURCING_OPTIONS },
          ];
          const module = await Test.createTestingModule({ imports: [CqrsModule.forRoot()], providers }).compile();
          await module.init();
          try {
            const outcome = await module
              .get(CommandBus)
              .execute(command)
              .then(
                () => ({ error: undefined }),
                (error: unknown) => ({ error }),
              );
            const appended = (await store.readAll(history.length > 0 ? history.length : 0, 1000)).map((e) => e.event);
            return { ...outcome, appended };
          } finally {
            await module.close();
          }
        };
        return {
          async then(...expected) {
            const { error, appended } = await run();
            expect(error).toBeUndefined();
            expect(appended).toStrictEqual(expected);
          },
          async thenFails(errorClass, message) {
            const { error, appended } = await run();
            expect(error).toBeInstanceOf(errorClass);
            if (message !== undefined) expect((error as Error).message).toMatch(message);
            expect(appended).toEqual([]);
          },
        };
      },
    }),
  };
}
