import { describe, expect, it } from '@jest/globals';
import { AggregateNotFound } from '../../event-sourcing/event-sourcing.errors';
import { commandScenario } from '../../event-sourcing/testing/command-scenario';
import { AddItemToCart } from '../commands/add-item-to-cart.command';
import { AddItemToCartHandler } from '../commands/add-item-to-cart.handler';
import { CheckOutCart } from '../commands/check-out-cart.command';
import { CheckOutCartHandler } from '../commands/check-out-cart.handler';
import { OpenCart } from '../commands/open-cart.command';
import { OpenCartHandler } from '../commands/open-cart.handler';
import { RemoveItemFromCart } from '../commands/remove-item-from-cart.command';
import { RemoveItemFromCartHandler } from '../commands/remove-item-from-cart.handler';
import {
  CartAlreadyCheckedOut,
  EmptyCartCannotBeCheckedOut,
  InvalidPrice,
  InvalidQuantity,
  LineQuantityExceeded,
  NotEnoughInCart,
  MAX_LINES,
  PriceRequired,
  ProductNotInCart,
  ShippingAddressNeedsEmail,
  TooManyLines,
  UnsupportedCurrency,
} from './shopping-cart.errors';
import type { Currency } from './currency';
import { ShoppingCart } from './shopping-cart.aggregate';
import {
  CartCheckedOut,
  CartCheckedOutV1,
  CartCheckedOutV2,
  CartOpened,
  CartOpenedV1,
  ItemAddedToCart,
  ItemRemovedFromCart,
} from './shopping-cart.events';

const cartId = '0b9c6c52-4f55-4f4b-9d0c-7a1f2e3d4c5b';
const { given } = commandScenario({
  streamId: `shopping-cart-${cartId}`,
  handlers: [OpenCartHandler, AddItemToCartHandler, RemoveItemFromCartHandler, CheckOutCartHandler],
});

const opened = () => new CartOpened(cartId, 'customer-1', 'EUR');
const added = (productId: string, quantity: number, unitPriceCents: number) =>
  new ItemAddedToCart(cartId, productId, quantity, unitPriceCents);
const removed = (productId: string, quantity: number) => new ItemRemovedFromCart(cartId, productId, quantity);
const address = {
  name: 'Ann Example',
  line1: '1 Main Street',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
};

describe('a cart that does not exist yet', () => {
  it('can be opened for a customer, in euros unless told otherwise', () =>
    given()
      .when(new OpenCart(cartId, 'customer-1'))
      .then(new CartOpened(cartId, 'customer-1', 'EUR')));

  it('can be opened in another supported currency', () =>
    given()
      .when(new OpenCart(cartId, 'customer-1', 'CHF'))
      .then(new CartOpened(cartId, 'customer-1', 'CHF')));

  it('cannot be opened in a currency it does not support', () =>
    given()
      .when(new OpenCart(cartId, 'customer-1', 'XAU' as Currency))
      .thenFails(UnsupportedCurrency, /XAU/));

  it('cannot take items', () =>
    given()
      .when(new AddItemToCart(cartId, 'shoes', 1, 100))
      .thenFails(AggregateNotFound));
});

describe('an open cart', () => {
  it('takes an item at its price', () =>
    given(opened())
      .when(new AddItemToCart(cartId, 'shoes', 2, 4999))
      .then(added('shoes', 2, 4999)));

  it('takes a free item', () =>
    given(opened())
      .when(new AddItemToCart(cartId, 'sticker', 1, 0))
      .then(added('sticker', 1, 0)));

  it.each([0, -1, 1.5, 10_001])('refuses a quantity of %p', (quantity) =>
    given(opened())
      .when(new AddItemToCart(cartId, 'shoes', quantity, 100))
      .thenFails(InvalidQuantity),
  );

  it.each([-1, 0.5, 100_000_001])('refuses a unit price of %p cents', (price) =>
    given(opened())
      .when(new AddItemToCart(cartId, 'shoes', 1, price))
      .thenFails(InvalidPrice),
  );

  it('needs a price for a product it does not hold yet', () =>
    given(opened())
      .when(new AddItemToCart(cartId, 'shoes', 1, undefined))
      .thenFails(PriceRequired));

  it('cannot be opened twice', () =>
    given(opened())
      .when(new OpenCart(cartId, 'customer-2'))
      .thenFails(Error, /already exists/));

  it('refuses to remove a product it does not hold', () =>
    given(opened(), added('shoes', 1, 100))
      .when(new RemoveItemFromCart(cartId, 'socks', 1))
      .thenFails(ProductNotInCart));

  it('refuses to be checked out while empty', () =>
    given(opened()).when(new CheckOutCart(cartId)).thenFails(EmptyCartCannotBeCheckedOut));

  it('refuses to be checked out when every line was removed again', () =>
    given(opened(), added('shoes', 1, 100), removed('shoes', 1))
      .when(new CheckOutCart(cartId))
      .thenFails(EmptyCartCannotBeCheckedOut));
});

describe('a cart holding a product', () => {
  const holding = () => [opened(), added('shoes', 2, 5000)] as const;

  it('adds to the line and keeps the first price when no price is given', () =>
    given(...holding())
      .when(new AddItemToCart(cartId, 'shoes', 3, undefined))
      .then(added('shoes', 3, 5000)));

  it('adds to the line and takes a new price when one is given', () =>
    given(...holding())
      .when(new AddItemToCart(cartId, 'shoes', 1, 4500))
      .then(added('shoes', 1, 4500)));

  it('refuses to grow a line past 10,000', () =>
    given(...holding())
      .when(new AddItemToCart(cartId, 'shoes', 9_999, undefined))
      .thenFails(LineQuantityExceeded));

  it('removes part of the line', () =>
    given(...holding())
      .when(new RemoveItemFromCart(cartId, 'shoes', 1))
      .then(removed('shoes', 1)));

  it('removes the whole line when no quantity is given', () =>
    given(...holding(), added('shoes', 1, 5000))
      .when(new RemoveItemFromCart(cartId, 'shoes', undefined))
      .then(removed('shoes', 3)));

  it('never lets a line go below zero', () =>
    given(...holding())
      .when(new RemoveItemFromCart(cartId, 'shoes', 3))
      .thenFails(NotEnoughInCart, /holds 2/));

  it('refuses to remove a product whose line was already removed', () =>
    given(...holding(), removed('shoes', 2))
      .when(new RemoveItemFromCart(cartId, 'shoes', 1))
      .thenFails(ProductNotInCart));

  it('checks out with its lines and total', () =>
    given(...holding(), added('socks', 3, 250))
      .when(new CheckOutCart(cartId))
      .then(
        new CartCheckedOut(
          cartId,
          'customer-1',
          [
            { productId: 'shoes', quantity: 2, unitPriceCents: 5000 },
            { productId: 'socks', quantity: 3, unitPriceCents: 250 },
          ],
          10_750,
          'EUR',
          null,
          null,
        ),
      ));

  it('checks out in the currency it was opened in', () =>
    given(new CartOpened(cartId, 'customer-1', 'SEK'), added('shoes', 1, 100))
      .when(new CheckOutCart(cartId))
      .then(
        new CartCheckedOut(
          cartId,
          'customer-1',
          [{ productId: 'shoes', quantity: 1, unitPriceCents: 100 }],
          100,
          'SEK',
          null,
          null,
        ),
      ));
});

describe('an open cart checked out with a contact', () => {
  const shoes = [{ productId: 'shoes', quantity: 1, unitPriceCents: 100 }];

  it('puts the e-mail address and the shipping address into the checkout', () =>
    given(opened(), added('shoes', 1, 100))
      .when(new CheckOutCart(cartId, { email: 'ann@example.com', shippingAddress: address }))
      .then(new CartCheckedOut(cartId, 'customer-1', shoes, 100, 'EUR', 'ann@example.com', address)));

  it('takes an e-mail address alone, for a cart that ships nowhere', () =>
    given(opened(), added('shoes', 1, 100))
      .when(new CheckOutCart(cartId, { email: 'ann@example.com', shippingAddress: null }))
      .then(new CartCheckedOut(cartId, 'customer-1', shoes, 100, 'EUR', 'ann@example.com', null)));

  it('refuses an address without an e-mail address to tell about the shipment', () =>
    given(opened(), added('shoes', 1, 100))
      .when(new CheckOutCart(cartId, { email: null, shippingAddress: address }))
      .thenFails(ShippingAddressNeedsEmail));

  it('keeps the contact out of its own state, so no snapshot holds it', () => {
    const cart = ShoppingCart.open(cartId, 'customer-1');
    cart.addItem('shoes', 1, 100);
    cart.checkOut({ email: 'ann@example.com', shippingAddress: address });
    const snapshot = JSON.stringify(cart.takeSnapshot());
    expect(snapshot).not.toContain('ann@example.com');
    expect(snapshot).not.toContain(address.line1);
  });
});

describe('a cart stored before checkout took a contact', () => {
  it('is read as checked out without one', () =>
    given(opened(), added('shoes', 1, 100), new CartCheckedOutV2(cartId, 'customer-1', [], 100, 'EUR'))
      .when(new CheckOutCart(cartId))
      .thenFails(CartAlreadyCheckedOut));
});

describe('a cart stored before carts had a currency', () => {
  const openedV1 = () => new CartOpenedV1(cartId, 'customer-1');

  it('is read as opened in euros, and checks out in euros', () =>
    given(openedV1(), added('shoes', 1, 100))
      .when(new CheckOutCart(cartId))
      .then(
        new CartCheckedOut(
          cartId,
          'customer-1',
          [{ productId: 'shoes', quantity: 1, unitPriceCents: 100 }],
          100,
          'EUR',
          null,
          null,
        ),
      ));

  it('is read as checked out when its stored checkout is the old version', () =>
    given(openedV1(), added('shoes', 1, 100), new CartCheckedOutV1(cartId, 'customer-1', [], 100))
      .when(new AddItemToCart(cartId, 'socks', 1, 100))
      .thenFails(CartAlreadyCheckedOut));
});

describe('a cart holding the most distinct products it may', () => {
  const full = () => [opened(), ...Array.from({ length: MAX_LINES }, (_, n) => added(`product-${n}`, 1, 100))];

  it('refuses one more product', () =>
    given(...full())
      .when(new AddItemToCart(cartId, 'one-too-many', 1, 100))
      .thenFails(TooManyLines, /1000/));

  it('still grows a line it holds', () =>
    given(...full())
      .when(new AddItemToCart(cartId, 'product-7', 1, undefined))
      .then(added('product-7', 1, 100)));

  it('takes a new product once a line is gone', () =>
    given(...full(), removed('product-7', 1))
      .when(new AddItemToCart(cartId, 'one-more', 1, 100))
      .then(added('one-more', 1, 100)));
});

describe('a checked-out cart', () => {
  const checkedOut = () =>
    [
      opened(),
      added('shoes', 1, 100),
      new CartCheckedOut(
        cartId,
        'customer-1',
        [{ productId: 'shoes', quantity: 1, unitPriceCents: 100 }],
        100,
        'EUR',
        'ann@example.com',
        address,
      ),
    ] as const;

  it('refuses new items', () =>
    given(...checkedOut())
      .when(new AddItemToCart(cartId, 'socks', 1, 100))
      .thenFails(CartAlreadyCheckedOut));

  it('refuses removals', () =>
    given(...checkedOut())
      .when(new RemoveItemFromCart(cartId, 'shoes', 1))
      .thenFails(CartAlreadyCheckedOut));

  it('refuses a second checkout', () =>
    given(...checkedOut())
      .when(new CheckOutCart(cartId))
      .thenFails(CartAlreadyCheckedOut));
});
