import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../../event-sourcing/aggregate-repository';
import { ShoppingCart } from '../../domain/shopping-cart.aggregate';
import type { CartView } from '../cart-view';
import { GetCartAtVersion } from './get-cart-at-version.query';

/** The one query that rebuilds the aggregate instead of reading a table, because the past has no table. */
@QueryHandler(GetCartAtVersion)
export class GetCartAtVersionHandler implements IQueryHandler<GetCartAtVersion> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ cartId, version }: GetCartAtVersion): Promise<CartView> {
    const cart = await this.repository.load(ShoppingCart, cartId, { toVersion: version });
    return {
      cartId,
      customerId: cart.customerId,
      currency: cart.currency,
      status: cart.status,
      items: cart.lines.map((line) => ({ ...line, lineTotalCents: line.quantity * line.unitPriceCents })),
      totalCents: cart.totalCents,
      version: cart.version,
    };
  }
}
