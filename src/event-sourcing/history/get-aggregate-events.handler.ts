import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../aggregate-repository';
import { AggregateNotFound } from '../event-sourcing.errors';
import { EventStore } from '../event-store';
import { EventTypeRegistry } from '../event-type-registry';
import { EventView, toEventView } from './event-view';
import { GetAggregateEvents } from './get-aggregate-events.query';

@QueryHandler(GetAggregateEvents)
export class GetAggregateEventsHandler implements IQueryHandler<GetAggregateEvents> {
  constructor(
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    private readonly registry: EventTypeRegistry,
  ) {}

  async execute({ type, id }: GetAggregateEvents): Promise<EventView[]> {
    const events = await this.store.readStream(this.repository.streamId(type, id));
    if (events.length === 0) throw new AggregateNotFound(type.name, id);
    return events.map((recorded) => toEventView(recorded, this.registry));
  }
}
