/**
 * Errors of the event-sourcing infrastructure. They are typed so callers (HTTP filters, command
 * retries) can react to the situation rather than to a driver's message text.
 */
import type { ExpectedVersion } from './event-store';

export class WrongExpectedVersion extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /** The stream's version when the append was refused (0 when the stream does not exist). */
    readonly actualVersion: number,
  ) {
    super(`Stream ${streamId} is at version ${actualVersion}, expected ${String(expectedVersion)}`);
    this.name = 'WrongExpectedVersion';
  }
}

export class AggregateNotFound extends Error {
  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
  ) {
    super(`${aggregateType} ${aggregateId} does not exist`);
    this.name = 'AggregateNotFound';
  }
}

export class StreamNotFound extends Error {
  constructor(readonly streamId: string) {
    super(`No stream is named ${streamId}, and no aggregate with that id has one`);
    this.name = 'StreamNotFound';
  }
}

/** The requested version lies beyond the stream's current version. */
export class VersionNotFound extends Error {
  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
    readonly version: number,
    readonly currentVersion: number,
  ) {
    super(`${aggregateType} ${aggregateId} has no version ${version} (current version is ${currentVersion})`);
    this.name = 'VersionNotFound';
  }
}

/** Time travel to an instant before the aggregate's first event. */
export class AggregateDidNotExistYet extends Error {
  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
    readonly instant: Date,
  ) {
    super(`${aggregateType} ${aggregateId} did not exist yet at ${instant.toISOString()}`);
    this.name = 'AggregateDidNotExistYet';
  }
}

export class UnknownEventType extends Error {
  constructor(readonly storedType: string) {
    super(`Stored event type "${storedType}" is not declared by any @EventType class and has no upcaster`);
    this.name = 'UnknownEventType';
  }
}

/** If-Match named a version the aggregate has moved past (or not reached). */
export class PreconditionFailed extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Stream ${streamId} is at version ${actualVersion}, If-Match expected ${expectedVersion}`);
    this.name = 'PreconditionFailed';
  }
}

/** A concurrent writer kept winning until the retries ran out. */
export class ConcurrencyConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`Stream ${streamId} kept changing concurrently; gave up after ${attempts} attempts`);
    this.name = 'ConcurrencyConflict';
  }
}

/** The same Idempotency-Key was sent earlier with a different request. */
export class IdempotencyKeyReused extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request`);
    this.name = 'IdempotencyKeyReused';
  }
}

/** A read model did not reach the requested position in time. */
export class ReadModelBehind extends Error {
  constructor(
    readonly subscription: string,
    readonly position: number,
    readonly checkpoint: number,
  ) {
    super(`Read model ${subscription} is at position ${checkpoint}, not yet at ${position}`);
    this.name = 'ReadModelBehind';
  }
}

export class AggregateAlreadyExists extends Error {
  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
  ) {
    super(`${aggregateType} ${aggregateId} already exists`);
    this.name = 'AggregateAlreadyExists';
  }
}

/**
 * PostgreSQL's jsonb cannot hold U+0000 or a lone UTF-16 surrogate, so no engine stores them: the same
 * events work everywhere.
 */
export class UnstorableEvent extends Error {
  constructor(readonly streamId: string) {
    super(`An event for ${streamId} contains U+0000 or a lone UTF-16 surrogate, which the event store cannot hold`);
    this.name = 'UnstorableEvent';
  }
}

/** A read asked to wait for a position no append has reached: no wait could ever satisfy it. */
export class PositionNotWritten extends Error {
  constructor(
    readonly position: number,
    readonly headPosition: number,
  ) {
    super(`Position ${position} has not been written; the newest event is at ${headPosition}`);
    this.name = 'PositionNotWritten';
  }
}
