import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AggregateRepository } from '../aggregate-repository';
import { newCommandContext } from '../command-context';
import { ANY_VERSION, EventStore } from '../event-store';
import { ShoppingCart } from '../../shopping-carts/domain/shopping-cart.aggregate';
import { ItemAddedToCart } from '../../shopping-carts/domain/shopping-cart.events';
import { createEventSourcingTestModule } from '../testing/event-sourcing-test-module';
import { SnapshotStore } from './snapshot-store';

describe('snapshots through the repository', () => {
  let close: () => Promise<void>;
  let repository: AggregateRepository;
  let store: EventStore;
  let snapshots: SnapshotStore;

  beforeEach(async () => {
    // Every 5 events, so a short history crosses a few boundaries.
    const test = await createEventSourcingTestModule(
      {},
      { snapshotEvery: { 'shopping-cart': 5 }, aggregateCacheSize: 0 },
    );
    close = test.close;
    repository = test.module.get(AggregateRepository);
    store = test.module.get(EventStore);
    snapshots = test.module.get(SnapshotStore);
  });
  afterEach(() => close());

  async function cartWith(adds: number): Promise<string> {
    const id = randomUUID();
    await repository.create(ShoppingCart.open(id, 'ann', 'USD'), newCommandContext());
    for (let n = 0; n < adds; n += 1) {
      await repository.update(ShoppingCart, id, newCommandContext(), (cart) => cart.addItem(`p-${n % 3}`, 1, 100 + n));
    }
    return id;
  }

  it('are taken when a save crosses a multiple of the interval', async () => {
    const id = await cartWith(11);
    const snapshot = await snapshots.load(`shopping-cart-${id}`);
    expect(snapshot).toMatchObject({ version: 10, schemaVersion: 2, state: { currency: 'USD' } });
  });

  it('are used by loads, which replay only the events after them', async () => {
    const id = await cartWith(7);
    const streamId = `shopping-cart-${id}`;
    // A snapshot that disagrees with the events on purpose: if the load shows it, the load used it.
    await snapshots.save({
      streamId,
      version: 8,
      schemaVersion: 2,
      state: { customerId: 'from-snapshot', currency: 'GBP', status: 'open', lines: [] },
    });
    const cart = await repository.load(ShoppingCart, id);
    expect(cart.customerId).toBe('from-snapshot');
    expect(cart.currency).toBe('GBP');
    expect(cart.version).toBe(8);
    await store.append(streamId, ANY_VERSION, [new ItemAddedToCart(id, 'late', 2, 50)]);
    const later = await repository.load(ShoppingCart, id);
    expect(later.version).toBe(9);
    expect(later.lines).toEqual([{ productId: 'late', quantity: 2, unitPriceCents: 50 }]);
  });

  it('of another schema version are ignored, and the aggregate is rebuilt from its events', async () => {
    const id = await cartWith(7);
    const streamId = `shopping-cart-${id}`;
    // Schema 1, before carts had a currency: restoring it would leave the currency unset.
    const before = { customerId: 'from-snapshot', status: 'open', lines: [] };
    await snapshots.save({ streamId, version: 8, schemaVersion: 1, state: before });
    const cart = await repository.load(ShoppingCart, id);
    expect(cart.customerId).toBe('ann');
    expect(cart.currency).toBe('USD');
    expect(cart.version).toBe(8);
    // A re-added product takes its latest price: 3 × 106 + 2 × 104 + 2 × 105.
    expect(cart.totalCents).toBe(736);
  });

  it('give the same state as a full replay, and never serve a time travel to before them', async () => {
    const id = await cartWith(12);
    const fromSnapshot = await repository.load(ShoppingCart, id);
    const replayed = new ShoppingCart(id);
    replayed.replay((await store.readStream(`shopping-cart-${id}`)).map((event) => event.event));
    expect(fromSnapshot.lines).toEqual(replayed.lines);
    expect(fromSnapshot.version).toBe(replayed.version);
    const past = await repository.load(ShoppingCart, id, { toVersion: 3 });
    expect(past.version).toBe(3);
    expect(past.lines).toHaveLength(2);
  });
});
