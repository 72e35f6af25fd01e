import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../../event-sourcing/aggregate-repository';
import { AggregateNotFound } from '../../../event-sourcing/event-sourcing.errors';
import { EventStore } from '../../../event-sourcing/event-store';
import { EventTypeRegistry } from '../../../event-sourcing/event-type-registry';
import { ShoppingCart } from '../../domain/shopping-cart.aggregate';
import { CartEventView, GetCartEvents } from './get-cart-events.query';

@QueryHandler(GetCartEvents)
export class GetCartEventsHandler implements IQueryHandler<GetCartEvents> {
  constructor(
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    private readonly registry: EventTypeRegistry,
  ) {}

  async execute({ cartId }: GetCartEvents): Promise<CartEventView[]> {
    const events = await this.store.readStream(this.repository.streamId(ShoppingCart, cartId));
    if (events.length === 0) throw new AggregateNotFound('ShoppingCart', cartId);
    return events.map((recorded) => ({
      position: recorded.position,
      version: recorded.streamVersion,
      type: recorded.type,
      data: this.registry.serialize(recorded.event).data,
      metadata: recorded.metadata,
      recordedAt: recorded.recordedAt.toISOString(),
    }));
  }
}
