import { EventSourcedAggregate, On } from '../../event-sourcing/aggregate-root';
import {
  CartAlreadyCheckedOut,
  EmptyCartCannotBeCheckedOut,
  InvalidPrice,
  InvalidQuantity,
  LineQuantityExceeded,
  MAX_LINES,
  MAX_QUANTITY,
  MAX_UNIT_PRICE_CENTS,
  NotEnoughInCart,
  PriceRequired,
  ProductNotInCart,
  ShippingAddressNeedsEmail,
  TooManyLines,
  UnsupportedCurrency,
} from './shopping-cart.errors';
import { CheckoutContact, NO_CONTACT, shippingAddressOf } from './checkout-contact';
import { Currency, DEFAULT_CURRENCY, SUPPORTED_CURRENCIES } from './currency';
import { CartCheckedOut, CartLine, CartOpened, ItemAddedToCart, ItemRemovedFromCart } from './shopping-cart.events';

export type CartStatus = 'open' | 'checked_out';

/** Schema version 2 of a cart snapshot (version 1, before currencies, had no `currency`). */
interface CartSnapshot {
  customerId: string;
  currency: string;
  status: CartStatus;
  lines: CartLine[];
}

/**
 * A customer's shopping cart. Lines keep the order in which products were first added; a line whose
 * quantity drops to zero is gone.
 */
export class ShoppingCart extends EventSourcedAggregate {
  static readonly streamCategory = 'shopping-cart';
  static readonly snapshots = { every: 100, schemaVersion: 2 };

  private customer = '';
  private cartCurrency: string = DEFAULT_CURRENCY;
  private state: CartStatus = 'open';
  private readonly lineItems = new Map<string, { quantity: number; unitPriceCents: number }>();

  static open(cartId: string, customerId: string, currency: Currency = DEFAULT_CURRENCY): ShoppingCart {
    if (!SUPPORTED_CURRENCIES.includes(currency)) throw new UnsupportedCurrency(currency);
    const cart = new ShoppingCart(cartId);
    cart.apply(new CartOpened(cartId, customerId, currency));
    return cart;
  }

  get customerId(): string {
    return this.customer;
  }

  get currency(): string {
    return this.cartCurrency;
  }

  get status(): CartStatus {
    return this.state;
  }

  get lines(): CartLine[] {
    return [...this.lineItems].map(([productId, line]) => ({ productId, ...line }));
  }

  get totalCents(): number {
    return this.lines.reduce((total, line) => total + line.quantity * line.unitPriceCents, 0);
  }

  /** Adds to the product's line; without a price, an existing line keeps its price. */
  addItem(productId: string, quantity: number, unitPriceCents?: number): void {
    this.assertOpen();
    assertQuantity(quantity);
    const line = this.lineItems.get(productId);
    if (line === undefined && this.lineItems.size >= MAX_LINES) throw new TooManyLines(productId);
    const price = unitPriceCents ?? line?.unitPriceCents;
    if (price === undefined) throw new PriceRequired(productId);
    if (!Number.isSafeInteger(price) || price < 0 || price > MAX_UNIT_PRICE_CENTS) throw new InvalidPrice(price);
    const inCart = line?.quantity ?? 0;
    if (inCart + quantity > MAX_QUANTITY) throw new LineQuantityExceeded(productId, inCart, quantity);
    this.apply(new ItemAddedToCart(this.id, productId, quantity, price));
  }

  /** Removes `quantity` of the product, or its whole line when no quantity is given. */
  removeItem(productId: string, quantity?: number): void {
    this.assertOpen();
    const line = this.lineItems.get(productId);
    if (line === undefined) throw new ProductNotInCart(productId);
    const removed = quantity ?? line.quantity;
    assertQuantity(removed);
    if (removed > line.quantity) throw new NotEnoughInCart(productId, line.quantity, removed);
    this.apply(new ItemRemovedFromCart(this.id, productId, removed));
  }

  /**
   * The contact goes into the event only: the cart keeps no personal data in its state, because snapshots
   * and cached aggregates would outlive the customer's erasure.
   */
  checkOut({ email, shippingAddress }: CheckoutContact = NO_CONTACT): void {
    this.assertOpen();
    if (this.lineItems.size === 0) throw new EmptyCartCannotBeCheckedOut(this.id);
    if (shippingAddress !== null && email === null) throw new ShippingAddressNeedsEmail(this.id);
    this.apply(
      new CartCheckedOut(
        this.id,
        this.customer,
        this.lines,
        this.totalCents,
        this.cartCurrency,
        email,
        shippingAddressOf(shippingAddress),
      ),
    );
  }

  protected override snapshotState(): CartSnapshot {
    return { customerId: this.customer, currency: this.cartCurrency, status: this.state, lines: this.lines };
  }

  protected override restoreState(state: unknown): void {
    const { customerId, currency, status, lines } = state as CartSnapshot;
    this.customer = customerId;
    this.cartCurrency = currency;
    this.state = status;
    this.lineItems.clear();
    for (const { productId, quantity, unitPriceCents } of lines)
      this.lineItems.set(productId, { quantity, unitPriceCents });
  }

  private assertOpen(): void {
    if (this.state === 'checked_out') throw new CartAlreadyCheckedOut(this.id);
  }

  @On(CartOpened)
  protected opened(event: CartOpened): void {
    this.customer = event.customerId;
    this.cartCurrency = event.currency;
  }

  @On(ItemAddedToCart)
  protected itemAdded(event: ItemAddedToCart): void {
    const quantity = (this.lineItems.get(event.productId)?.quantity ?? 0) + event.quantity;
    this.lineItems.set(event.productId, { quantity, unitPriceCents: event.unitPriceCents });
  }

  @On(ItemRemovedFromCart)
  protected itemRemoved(event: ItemRemovedFromCart): void {
    const line = this.lineItems.get(event.productId);
    if (line === undefined) return;
    const quantity = line.quantity - event.quantity;
    if (quantity > 0) this.lineItems.set(event.productId, { ...line, quantity });
    else this.lineItems.delete(event.productId);
  }

  @On(CartCheckedOut)
  protected checkedOut(): void {
    this.state = 'checked_out';
  }
}

function assertQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw new InvalidQuantity(quantity);
}
