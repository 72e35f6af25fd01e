import { describe, expect, it } from '@jest/globals';
import { commandScenario } from '../../event-sourcing/testing/command-scenario';
import { AggregateNotFound } from '../../event-sourcing/event-sourcing.errors';
import { CancelOrder } from '../commands/cancel-order.command';
import { CancelOrderHandler } from '../commands/cancel-order.handler';
import { PayOrder } from '../commands/pay-order.command';
import { PayOrderHandler } from '../commands/pay-order.handler';
import { PlaceOrder } from '../commands/place-order.command';
import { PlaceOrderHandler } from '../commands/place-order.handler';
import { ShipOrder } from '../commands/ship-order.command';
import { ShipOrderHandler } from '../commands/ship-order.handler';
import { Order } from './order.aggregate';
import {
  EmptyOrder,
  OrderAlreadyPaid,
  OrderAlreadyShipped,
  OrderCancelledAlready,
  OrderNotPaid,
  PaymentDoesNotMatchTotal,
} from './order.errors';
import { OrderCancelled, OrderPaid, OrderPlaced, OrderPlacedV2, OrderShipped } from './order.events';

const cartId = '5d8e2f1a-3b4c-4d5e-8f9a-0b1c2d3e4f5a';
const orderId = Order.idForCart(cartId);
const lines = [
  { productId: 'shoes', quantity: 2, unitPriceCents: 5000 },
  { productId: 'socks', quantity: 1, unitPriceCents: 750 },
];
const { given } = commandScenario({
  streamId: `order-${orderId}`,
  handlers: [PlaceOrderHandler, PayOrderHandler, ShipOrderHandler, CancelOrderHandler],
});

const placed = () => new OrderPlaced(orderId, cartId, 'customer-1', lines, 10_750, 'USD', null, null);
const address = { name: 'Ann Example', line1: '1 Main Street', postalCode: '10115', city: 'Berlin', country: 'DE' };
const contact = { email: 'ann@example.com', shippingAddress: address };
const paid = () => new OrderPaid(orderId, 10_750);
const cancelled = () => new OrderCancelled(orderId, 'changed my mind');

describe('order ids', () => {
  it('derive from the cart, so one cart can only ever make one order', () => {
    expect(Order.idForCart(cartId)).toBe(orderId);
    expect(Order.idForCart('another-cart')).not.toBe(orderId);
    expect(orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('an order not placed yet', () => {
  it('is placed from a checked-out cart with its lines, total and currency', () =>
    given()
      .when(new PlaceOrder(cartId, 'customer-1', lines, 10_750, 'USD'))
      .then(placed()));

  it("is placed with the checkout's e-mail and shipping address", () =>
    given()
      .when(new PlaceOrder(cartId, 'customer-1', lines, 10_750, 'USD', contact))
      .then(new OrderPlaced(orderId, cartId, 'customer-1', lines, 10_750, 'USD', 'ann@example.com', address)));

  it('keeps the contact out of its own state', () => {
    const order = new Order(orderId);
    order.replay([new OrderPlaced(orderId, cartId, 'customer-1', lines, 10_750, 'USD', 'ann@example.com', address)]);
    const state = JSON.stringify(order);
    expect(state).toContain('customer-1');
    expect(state).not.toContain('ann@example.com');
    expect(state).not.toContain(address.line1);
  });

  it('is not placed without lines', () =>
    given()
      .when(new PlaceOrder(cartId, 'customer-1', [], 0, 'USD'))
      .thenFails(EmptyOrder));

  it('cannot be paid', () => given().when(new PayOrder(orderId, 10_750)).thenFails(AggregateNotFound));
});

describe('an order stored before checkout took a contact', () => {
  it('is read as placed without one, and is paid as before', () =>
    given(new OrderPlacedV2(orderId, cartId, 'customer-1', lines, 10_750, 'USD'))
      .when(new PayOrder(orderId, 10_750))
      .then(paid()));
});

describe('a placed order', () => {
  it('is not placed a second time: placing it again succeeds and appends nothing', () =>
    given(placed())
      .when(new PlaceOrder(cartId, 'customer-1', lines, 10_750, 'USD'))
      .then());

  it('is paid with exactly its total', () => given(placed()).when(new PayOrder(orderId, 10_750)).then(paid()));

  it.each([0, 10_749, 10_751])('refuses a payment of %p cents', (amount) =>
    given(placed()).when(new PayOrder(orderId, amount)).thenFails(PaymentDoesNotMatchTotal),
  );

  it('cannot be shipped before it is paid', () => given(placed()).when(new ShipOrder(orderId)).thenFails(OrderNotPaid));

  it('can be cancelled with a reason', () =>
    given(placed()).when(new CancelOrder(orderId, 'changed my mind')).then(cancelled()));
});

describe('a paid order', () => {
  it('refuses a second payment', () =>
    given(placed(), paid()).when(new PayOrder(orderId, 10_750)).thenFails(OrderAlreadyPaid));

  it('is shipped', () => given(placed(), paid()).when(new ShipOrder(orderId)).then(new OrderShipped(orderId)));

  it('can still be cancelled before shipping', () =>
    given(placed(), paid()).when(new CancelOrder(orderId, 'changed my mind')).then(cancelled()));
});

describe('a shipped order', () => {
  const shipped = () => [placed(), paid(), new OrderShipped(orderId)] as const;

  it('cannot be cancelled', () =>
    given(...shipped())
      .when(new CancelOrder(orderId, 'too late'))
      .thenFails(OrderAlreadyShipped));

  it('cannot be shipped again', () =>
    given(...shipped())
      .when(new ShipOrder(orderId))
      .thenFails(OrderAlreadyShipped));
});

describe('a cancelled order', () => {
  it('cannot be paid', () =>
    given(placed(), cancelled()).when(new PayOrder(orderId, 10_750)).thenFails(OrderCancelledAlready));

  it('cannot be shipped', () =>
    given(placed(), paid(), cancelled()).when(new ShipOrder(orderId)).thenFails(OrderCancelledAlready));

  it('cannot be cancelled again', () =>
    given(placed(), cancelled()).when(new CancelOrder(orderId, 'again')).thenFails(OrderCancelledAlready));
});
