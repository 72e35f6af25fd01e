import { Query } from '@nestjs/cqrs';
import type { AggregateClass, EventSourcedAggregate } from '../aggregate-root';

/**
 * The version an aggregate had at an instant: that of its last event recorded at or before it.
 * AggregateNotFound for an aggregate with no events, AggregateDidNotExistYet for an instant before its first.
 */
export class GetVersionAsOf extends Query<number> {
  constructor(
    readonly type: AggregateClass<EventSourcedAggregate>,
    readonly id: string,
    readonly instant: Date,
  ) {
    super();
  }
}
