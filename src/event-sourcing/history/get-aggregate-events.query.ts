import { Query } from '@nestjs/cqrs';
import type { AggregateClass, EventSourcedAggregate } from '../aggregate-root';
import type { EventView } from './event-view';

/** Every event of one aggregate, oldest first; AggregateNotFound when it has none. */
export class GetAggregateEvents extends Query<EventView[]> {
  constructor(
    readonly type: AggregateClass<EventSourcedAggregate>,
    readonly id: string,
  ) {
    super();
  }
}
