import { Query } from '@nestjs/cqrs';
import type { AggregateClass, EventSourcedAggregate } from '../aggregate-root';
import type { EventView } from './event-view';

/** One page of an aggregate's events, oldest first. */
export interface AggregateEventsPage {
  events: EventView[];
  /** Whether the aggregate has events after this page. */
  more: boolean;
}

/**
 * Up to `limit` events of one aggregate after `afterVersion`, oldest first; AggregateNotFound when the
 * aggregate has no events at all (a page past its end is empty).
 */
export class GetAggregateEvents extends Query<AggregateEventsPage> {
  constructor(
    readonly type: AggregateClass<EventSourcedAggregate>,
    readonly id: string,
    readonly afterVersion: number,
    readonly limit: number,
  ) {
    super();
  }
}
