import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ANY_VERSION, EventStore } from '../../event-sourcing/event-store';
import { SubscriptionRunner } from '../../event-sourcing/subscriptions/subscription-runner';
import { createEventSourcingTestModule } from '../../event-sourcing/testing/event-sourcing-test-module';
import { PrimaryKeyLookup } from '../../event-sourcing/typeorm/primary-key-lookup';
import { Transactions } from '../../event-sourcing/typeorm/transactions';
import {
  CartCheckedOut,
  CartOpened,
  CartOpenedV1,
  ItemAddedToCart,
  ItemRemovedFromCart,
} from '../domain/shopping-cart.events';
import { ShoppingCartsModule } from '../shopping-carts.module';
import { CartDetails } from './cart-details/cart-details.entity';
import { CART_DETAILS, CartDetailsProjection } from './cart-details/cart-details.projection';
import { CustomerCart } from './customer-carts/customer-cart.entity';
import { CUSTOMER_CARTS, CustomerCartsProjection } from './customer-carts/customer-carts.projection';

describe('cart projections on SQLite', () => {
  let close: () => Promise<void>;
  let store: EventStore;
  let runner: SubscriptionRunner;
  let transactions: Transactions;
  let dataSource: DataSource;
  let projections: [string, CartDetailsProjection | CustomerCartsProjection][];

  beforeEach(async () => {
    const test = await createEventSourcingTestModule({ imports: [ShoppingCartsModule] });
    close = test.close;
    store = test.module.get(EventStore);
    runner = test.module.get(SubscriptionRunner);
    transactions = test.module.get(Transactions);
    dataSource = test.module.get(DataSource);
    projections = [
      [CART_DETAILS, test.module.get(CartDetailsProjection)],
      [CUSTOMER_CARTS, test.module.get(CustomerCartsProjection)],
    ];
  });
  afterEach(() => close());

  const append = async (cartId: string, ...events: object[]) => {
    const { positions } = await store.append(`shopping-cart-${cartId}`, ANY_VERSION, events);
    return positions.at(-1)!;
  };
  const caughtUp = (position: number) => Promise.all(projections.map(([name]) => runner.waitFor(name, position)));
  const rows = async () => ({
    details: await dataSource.getRepository(CartDetails).find({ order: { cartId: 'ASC' } }),
    customers: await dataSource.getRepository(CustomerCart).find({ order: { cartId: 'ASC' } }),
  });

  /** A few carts through every kind of event; the second was stored before carts had a currency. */
  async function someHistory(): Promise<{ first: string; second: string; position: number }> {
    const [first, second] = [randomUUID(), randomUUID()];
    await append(first, new CartOpened(first, 'ann', 'USD'), new ItemAddedToCart(first, 'shoes', 2, 5000));
    await append(second, new CartOpenedV1(second, 'ann'), new ItemAddedToCart(second, 'hat', 1, 1500));
    await append(
      first,
      new ItemAddedToCart(first, 'socks', 3, 250),
      new ItemAddedToCart(first, 'shoes', 1, 4500),
      new ItemRemovedFromCart(first, 'socks', 1),
    );
    const position = await append(
      first,
      new CartCheckedOut(
        first,
        'ann',
        [
          { productId: 'shoes', quantity: 3, unitPriceCents: 4500 },
          { productId: 'socks', quantity: 2, unitPriceCents: 250 },
        ],
        14_000,
        'USD',
        // Personal data that no cart read model copies: the rows below have no place for it.
        'ann@example.com',
        { name: 'Ann', line1: '1 Main Street', postalCode: '10115', city: 'Berlin', country: 'DE' },
      ),
    );
    return { first, second, position };
  }

  it('turns events into cart rows', async () => {
    const { first, second, position } = await someHistory();
    await caughtUp(position);
    const { details, customers } = await rows();
    expect(details.find((row) => row.cartId === first)).toEqual({
      cartId: first,
      customerId: 'ann',
      currency: 'USD',
      status: 'checked_out',
      items: [
        { productId: 'shoes', quantity: 3, unitPriceCents: 4500, lineTotalCents: 13_500 },
        { productId: 'socks', quantity: 2, unitPriceCents: 250, lineTotalCents: 500 },
      ],
      totalCents: 14_000,
      version: 6,
    });
    expect(customers.find((row) => row.cartId === second)).toMatchObject({
      customerId: 'ann',
      currency: 'EUR',
      status: 'open',
      itemCount: 1,
      totalCents: 1500,
      version: 2,
    });
    expect(customers.find((row) => row.cartId === first)).toMatchObject({ itemCount: 5, totalCents: 14_000 });
  });

  it('reads a row by its key as TypeORM finds it, values converted alike', async () => {
    const { first, second, position } = await someHistory();
    await caughtUp(position);
    const lookup = new PrimaryKeyLookup(transactions, CartDetails);
    for (const cartId of [first, second]) {
      const found = await lookup.find(cartId);
      expect(found).toEqual({ ...(await dataSource.getRepository(CartDetails).findOneBy({ cartId })) });
      expect(Object.keys(found!)).toEqual([
        'cartId',
        'customerId',
        'currency',
        'status',
        'items',
        'totalCents',
        'version',
      ]);
    }
    expect(await lookup.find(randomUUID())).toBeNull();
  });

  it('drops a line whose quantity reaches zero', async () => {
    const cartId = randomUUID();
    const position = await append(
      cartId,
      new CartOpened(cartId, 'bob', 'EUR'),
      new ItemAddedToCart(cartId, 'shoes', 1, 100),
      new ItemAddedToCart(cartId, 'hat', 1, 200),
      new ItemRemovedFromCart(cartId, 'shoes', 1),
    );
    await caughtUp(position);
    const { details, customers } = await rows();
    expect(details[0]!.items).toEqual([{ productId: 'hat', quantity: 1, unitPriceCents: 200, lineTotalCents: 200 }]);
    expect(customers[0]).toMatchObject({ itemCount: 1, totalCents: 200 });
  });

  it('changes nothing when the same events are applied a second time', async () => {
    const { position } = await someHistory();
    await caughtUp(position);
    const before = await rows();
    const events = await store.readAll(0, 1000);
    await transactions.write(async (manager) => {
      for (const [, projection] of projections) for (const event of events) await projection.apply(event, manager);
    });
    expect(await rows()).toEqual(before);
  });

  it('rebuilds identical rows from position 0', async () => {
    const { position } = await someHistory();
    await caughtUp(position);
    const before = await rows();
    await transactions.write(async (manager) => {
      for (const [, projection] of projections) {
        await projection.clear(manager);
        for (const event of await store.readAll(0, 1000)) await projection.apply(event, manager);
      }
    });
    expect(await rows()).toEqual(before);
  });

  it('lists nothing for events it does not own', async () => {
    const position = await append(randomUUID(), new ItemAddedToCart('ghost', 'shoes', 1, 100));
    await caughtUp(position);
    expect(await rows()).toEqual({ details: [], customers: [] });
  });
});
