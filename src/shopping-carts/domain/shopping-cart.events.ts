import { EventType } from '../../event-sourcing/event-type';

/** One line of a cart as it stood when the cart was checked out. */
export interface CartLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

@EventType('shopping-cart.opened.v1')
export class CartOpened {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
  ) {}
}

/** `unitPriceCents` is the price the line has from now on (a repeat add without a price keeps the old one). */
@EventType('shopping-cart.item-added.v1')
export class ItemAddedToCart {
  constructor(
    readonly cartId: string,
    readonly productId: string,
    readonly quantity: number,
    readonly unitPriceCents: number,
  ) {}
}

@EventType('shopping-cart.item-removed.v1')
export class ItemRemovedFromCart {
  constructor(
    readonly cartId: string,
    readonly productId: string,
    readonly quantity: number,
  ) {}
}

/** Carries the final lines and total, so downstream contexts need not replay the cart. */
@EventType('shopping-cart.checked-out.v1', { public: true })
export class CartCheckedOut {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: CartLine[],
    readonly totalCents: number,
  ) {}
}
