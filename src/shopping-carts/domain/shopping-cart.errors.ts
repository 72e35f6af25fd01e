import { DomainRuleViolation } from '../../event-sourcing/domain-rule-violation';

export class CartAlreadyCheckedOut extends DomainRuleViolation {
  readonly code = 'cart-already-checked-out';
  constructor(cartId: string) {
    super(`Cart ${cartId} is checked out and accepts no further changes`);
  }
}

export class EmptyCartCannotBeCheckedOut extends DomainRuleViolation {
  readonly code = 'empty-cart';
  constructor(cartId: string) {
    super(`Cart ${cartId} is empty and cannot be checked out`);
  }
}

export class ShippingAddressNeedsEmail extends DomainRuleViolation {
  readonly code = 'shipping-address-needs-email';
  constructor(cartId: string) {
    super(`Cart ${cartId} cannot ship to an address without an e-mail address to tell about the shipment`);
  }
}

export class ProductNotInCart extends DomainRuleViolation {
  readonly code = 'product-not-in-cart';
  constructor(productId: string) {
    super(`Product ${productId} is not in the cart`);
  }
}

export class NotEnoughInCart extends DomainRuleViolation {
  readonly code = 'not-enough-in-cart';
  constructor(productId: string, inCart: number, requested: number) {
    super(`Cannot remove ${requested} of product ${productId}: the cart holds ${inCart}`);
  }
}

export class InvalidQuantity extends DomainRuleViolation {
  readonly code = 'invalid-quantity';
  constructor(quantity: number) {
    super(`Quantity must be a whole number from 1 to ${MAX_QUANTITY}, got ${quantity}`);
  }
}

export class LineQuantityExceeded extends DomainRuleViolation {
  readonly code = 'line-quantity-exceeded';
  constructor(productId: string, inCart: number, requested: number) {
    super(`Adding ${requested} of product ${productId} to ${inCart} would exceed ${MAX_QUANTITY} on one line`);
  }
}

export class InvalidPrice extends DomainRuleViolation {
  readonly code = 'invalid-price';
  constructor(unitPriceCents: number) {
    super(`Unit price must be a whole number of cents from 0 to ${MAX_UNIT_PRICE_CENTS}, got ${unitPriceCents}`);
  }
}

export class PriceRequired extends DomainRuleViolation {
  readonly code = 'price-required';
  constructor(productId: string) {
    super(`Product ${productId} is new to the cart, so its unit price is required`);
  }
}

export class TooManyLines extends DomainRuleViolation {
  readonly code = 'too-many-lines';
  constructor(productId: string) {
    super(`Cannot add product ${productId}: a cart holds at most ${MAX_LINES} distinct products`);
  }
}

export const MAX_QUANTITY = 10_000;
/** Distinct products per cart: bounds the cart's snapshot, its read-model row and its checkout event. */
export const MAX_LINES = 1000;
export const MAX_UNIT_PRICE_CENTS = 100_000_000;

export class UnsupportedCurrency extends DomainRuleViolation {
  readonly code = 'unsupported-currency';
  constructor(currency: string) {
    super(`Currency ${currency} is not supported`);
  }
}
