import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../aggregate-repository';
import { AggregateDidNotExistYet, AggregateNotFound } from '../event-sourcing.errors';
import { EventStore } from '../event-store';
import { GetVersionAsOf } from './get-version-as-of.query';

@QueryHandler(GetVersionAsOf)
export class GetVersionAsOfHandler implements IQueryHandler<GetVersionAsOf> {
  constructor(
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
  ) {}

  async execute({ type, id, instant }: GetVersionAsOf): Promise<number> {
    const streamId = this.repository.streamId(type, id);
    const version = await this.store.streamVersionAt(streamId, instant);
    if (version > 0) return version;
    if ((await this.store.streamVersion(streamId)) === 0) throw new AggregateNotFound(type.name, id);
    throw new AggregateDidNotExistYet(type.name, id, instant);
  }
}
