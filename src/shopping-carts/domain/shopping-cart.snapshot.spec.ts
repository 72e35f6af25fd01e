import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ShoppingCart } from './shopping-cart.aggregate';
import { ItemAddedToCart } from './shopping-cart.events';

const cartId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** Histories the aggregate itself would produce: it decides each event from random intents. */
const histories = fc
  .array(
    fc.tuple(
      fc.constantFrom('add', 'add', 'remove', 'checkout'),
      fc.constantFrom('a', 'b', 'c'),
      fc.integer({ min: 1, max: 5 }),
    ),
    { maxLength: 40 },
  )
  .map((intents) => {
    const cart = ShoppingCart.open(cartId, 'customer', 'NOK');
    for (const [intent, productId, quantity] of intents) {
      try {
        if (intent === 'add') cart.addItem(productId, quantity, quantity * 100);
        else if (intent === 'remove') cart.removeItem(productId, quantity);
        else cart.checkOut();
      } catch {
        // A refused intent adds no event, as in production.
      }
    }
    return cart.getUncommittedEvents();
  });

const stateOf = (cart: ShoppingCart) => ({
  customerId: cart.customerId,
  currency: cart.currency,
  status: cart.status,
  lines: cart.lines,
  totalCents: cart.totalCents,
  version: cart.version,
});

describe('shopping cart snapshots', () => {
  it('restore to exactly the state a full replay gives, from any point in any history', () => {
    fc.assert(
      fc.property(histories, fc.nat(), (events, cut) => {
        const at = 1 + (cut % events.length);
        const replayed = new ShoppingCart(cartId);
        replayed.replay(events);
        const before = new ShoppingCart(cartId);
        before.replay(events.slice(0, at));
        // Through JSON, as the snapshot store keeps it.
        const state = JSON.parse(JSON.stringify(before.takeSnapshot())) as unknown;
        const resumed = new ShoppingCart(cartId);
        resumed.restoreSnapshot(state, at);
        resumed.replay(events.slice(at));
        expect(stateOf(resumed)).toEqual(stateOf(replayed));
      }),
    );
  });

  it('keeps the decisions that depend on state, such as the line price', () => {
    const cart = new ShoppingCart(cartId);
    cart.restoreSnapshot(
      { customerId: 'c', status: 'open', lines: [{ productId: 'a', quantity: 2, unitPriceCents: 300 }] },
      5,
    );
    cart.addItem('a', 1);
    expect(cart.getUncommittedEvents()).toEqual([new ItemAddedToCart(cartId, 'a', 1, 300)]);
    expect(cart.version).toBe(6);
  });
});
