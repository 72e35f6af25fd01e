import { EventSourcedAggregate, On } from '../../event-sourcing/aggregate-root';
import { uuidV5 } from '../../event-sourcing/deterministic-id';
import { CheckoutContact, NO_CONTACT } from '../../shopping-carts/domain/checkout-contact';
import {
  EmptyOrder,
  OrderAlreadyPaid,
  OrderAlreadyShipped,
  OrderCancelledAlready,
  OrderNotPaid,
  PaymentDoesNotMatchTotal,
} from './order.errors';
import { OrderCancelled, OrderLine, OrderPaid, OrderPlaced, OrderShipped } from './order.events';

export type OrderStatus = 'placed' | 'paid' | 'shipped' | 'cancelled';

/** Namespace of order ids: an order's id is the UUID v5 of its cart's id, so one cart makes one order. */
const ORDER_ID_NAMESPACE = '6f1d8a3e-2b7c-4f0e-9d4a-5c3b2a1f0e9d';

/** An order placed from a checked-out cart: paid in full, then shipped, or cancelled before shipping. */
export class Order extends EventSourcedAggregate {
  static readonly streamCategory = 'order';

  private state: OrderStatus = 'placed';
  private cart = '';
  private customer = '';
  private orderLines: OrderLine[] = [];
  private total = 0;
  private orderCurrency = '';

  static idForCart(cartId: string): string {
    return uuidV5(cartId, ORDER_ID_NAMESPACE);
  }

  /**
   * The contact goes into the event only: the order keeps no personal data in its state, because cached
   * aggregates would outlive the customer's erasure. Readers take it from the event or the read model.
   */
  static place(
    cartId: string,
    customerId: string,
    lines: OrderLine[],
    totalCents: number,
    currency: string,
    { email, shippingAddress }: CheckoutContact = NO_CONTACT,
  ): Order {
    const order = new Order(Order.idForCart(cartId));
    if (lines.length === 0) throw new EmptyOrder(order.id);
    order.apply(new OrderPlaced(order.id, cartId, customerId, lines, totalCents, currency, email, shippingAddress));
    return order;
  }

  get status(): OrderStatus {
    return this.state;
  }

  get cartId(): string {
    return this.cart;
  }

  get customerId(): string {
    return this.customer;
  }

  get lines(): OrderLine[] {
    return this.orderLines.map((line) => ({ ...line }));
  }

  get totalCents(): number {
    return this.total;
  }

  /** The cart's currency, in which the total is and the payment must be. */
  get currency(): string {
    return this.orderCurrency;
  }

  pay(amountCents: number): void {
    if (this.state === 'cancelled') throw new OrderCancelledAlready(this.id);
    if (this.state !== 'placed') throw new OrderAlreadyPaid(this.id);
    if (amountCents !== this.total) throw new PaymentDoesNotMatchTotal(amountCents, this.total);
    this.apply(new OrderPaid(this.id, amountCents));
  }

  ship(): void {
    if (this.state === 'cancelled') throw new OrderCancelledAlready(this.id);
    if (this.state === 'shipped') throw new OrderAlreadyShipped(this.id);
    if (this.state !== 'paid') throw new OrderNotPaid(this.id);
    this.apply(new OrderShipped(this.id));
  }

  cancel(reason: string): void {
    if (this.state === 'cancelled') throw new OrderCancelledAlready(this.id);
    if (this.state === 'shipped') throw new OrderAlreadyShipped(this.id);
    this.apply(new OrderCancelled(this.id, reason));
  }

  @On(OrderPlaced)
  protected placed(event: OrderPlaced): void {
    this.cart = event.cartId;
    this.customer = event.customerId;
    this.orderLines = event.lines.map((line) => ({ ...line }));
    this.total = event.totalCents;
    this.orderCurrency = event.currency;
  }

  @On(OrderPaid)
  protected paid(): void {
    this.state = 'paid';
  }

  @On(OrderShipped)
  protected shipped(): void {
    this.state = 'shipped';
  }

  @On(OrderCancelled)
  protected cancelled(): void {
    this.state = 'cancelled';
  }
}
