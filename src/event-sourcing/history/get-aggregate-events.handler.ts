import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../aggregate-repository';
import { AggregateNotFound } from '../event-sourcing.errors';
import { EventStore, MAX_STREAM_VERSION } from '../event-store';
import { EventTypeRegistry } from '../event-type-registry';
import { toEventView } from './event-view';
import { AggregateEventsPage, GetAggregateEvents } from './get-aggregate-events.query';

@QueryHandler(GetAggregateEvents)
export class GetAggregateEventsHandler implements IQueryHandler<GetAggregateEvents> {
  constructor(
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    private readonly registry: EventTypeRegistry,
  ) {}

  async execute({ type, id, afterVersion, limit }: GetAggregateEvents): Promise<AggregateEventsPage> {
    const streamId = this.repository.streamId(type, id);
    // Versions have no gaps, so this bounds the read; the one event past the page says whether more follow.
    const events =
      afterVersion < MAX_STREAM_VERSION
        ? await this.store.readStream(streamId, {
            fromVersion: afterVersion + 1,
            toVersion: Math.min(afterVersion + limit + 1, MAX_STREAM_VERSION),
          })
        : [];
    if (events.length === 0 && (afterVersion === 0 || (await this.store.streamVersion(streamId)) === 0)) {
      throw new AggregateNotFound(type.name, id);
    }
    return {
      events: events.slice(0, limit).map((recorded) => toEventView(recorded, this.registry)),
      more: events.length > limit,
    };
  }
}
