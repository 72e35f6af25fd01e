import { DiscoveryService } from '@nestjs/core';
import type { ICommand } from '@nestjs/cqrs';
import { filter, Observable, OperatorFunction } from 'rxjs';
import { CommandContext, internalScope } from '../command-context';
import { uuidV5 } from '../deterministic-id';
import type { EventClass } from '../event-type';
import type { RecordedEvent } from '../event-store';

/**
 * A process manager: turns stored events into commands. Written in the @nestjs/cqrs saga idiom (an
 * rxjs pipe with `ofType`-style filtering), but fed from its own checkpointed subscription instead of
 * the in-memory EventBus, so a crash never loses a reaction. Each event runs through the pipe alone;
 * the commands it yields are sent with retries, and the event is parked when they keep failing.
 */
export interface Saga {
  react(events$: Observable<RecordedEvent>): Observable<ICommand>;
}

/** Registers a provider as a saga under a stable name (its checkpoint's key). */
export const SagaOf = DiscoveryService.createDecorator<{ name: string }>();

/** `ofType` for stored events: keeps those whose event is an instance of one of the classes. */
export function ofRecordedType<E extends object>(
  ...types: EventClass<E>[]
): OperatorFunction<RecordedEvent, RecordedEvent<E>> {
  return filter((recorded): recorded is RecordedEvent<E> => types.some((type) => recorded.event instanceof type));
}

const SAGA_COMMAND_NAMESPACE = '9a4f3c1e-7b2d-4e8a-b5c6-0d1e2f3a4b5c';

/**
 * The context of a command the saga named `saga` sends because of `recorded`. Its id (and
 * Idempotency-Key) derive from the event's id, so a redelivered event repeats the same command, which
 * then appends nothing. The key lives in the saga's own internal scope: the event id is public (the
 * feed shows it), and a client sending the same key must not be able to claim it first.
 * Pass a `discriminator` when one event causes several commands.
 */
export function causedBy(saga: string, recorded: RecordedEvent, discriminator = ''): CommandContext {
  const commandId = uuidV5(`${recorded.eventId}/${discriminator}`, SAGA_COMMAND_NAMESPACE);
  return {
    commandId,
    correlationId: recorded.metadata.correlationId ?? recorded.eventId,
    causationId: recorded.eventId,
    actor: recorded.metadata.actor,
    idempotency: { scope: internalScope(saga), key: `saga-command:${commandId}`, fingerprint: commandId },
  };
}
