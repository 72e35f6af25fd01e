import { Type } from '@sinclair/typebox';
import { eventData } from '../../event-sourcing/event-schema';
import { declareUpcaster, EventType } from '../../event-sourcing/event-type';
import { PersonalData } from '../../event-sourcing/personal-data/personal-data';
import { emailSchema, ShippingAddress, shippingAddressSchema } from './checkout-contact';
import { currencyCode, DEFAULT_CURRENCY } from './currency';

/** One line of a cart as it stood when the cart was checked out. */
export interface CartLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

// Examples are what the event catalog shows.
const cartId = Type.String({
  minLength: 1,
  description: 'The cart (a UUID)',
  examples: ['3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11'],
});
const customerId = Type.String({ minLength: 1, examples: ['customer-42'] });
const productId = Type.String({ minLength: 1, examples: ['running-shoes'] });
const quantity = Type.Integer({ minimum: 1 });
const cents = Type.Integer({ minimum: 0 });
const cartLine = eventData({ productId, quantity, unitPriceCents: cents });

@EventType('shopping-cart.opened.v2', eventData({ cartId, customerId, currency: currencyCode }))
export class CartOpened {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    /** What every price and total of the cart counts in. */
    readonly currency: string,
  ) {}
}

/** `unitPriceCents` is the price the line has from now on (a repeat add without a price keeps the old one). */
@EventType('shopping-cart.item-added.v1', eventData({ cartId, productId, quantity, unitPriceCents: cents }))
export class ItemAddedToCart {
  constructor(
    readonly cartId: string,
    readonly productId: string,
    readonly quantity: number,
    readonly unitPriceCents: number,
  ) {}
}

@EventType('shopping-cart.item-removed.v1', eventData({ cartId, productId, quantity }))
export class ItemRemovedFromCart {
  constructor(
    readonly cartId: string,
    readonly productId: string,
    readonly quantity: number,
  ) {}
}

/**
 * Carries the final lines, total and currency, so downstream contexts need not replay the cart, and the
 * contact given at checkout. The contact is personal data of the customer: stored encrypted under their
 * key, read as null (with `erased: true`) once they asked to be forgotten, and never published.
 */
@PersonalData<CartCheckedOut>({ subject: 'customerId', fields: ['email', 'shippingAddress'] })
@EventType(
  'shopping-cart.checked-out.v3',
  eventData({
    cartId,
    customerId,
    lines: Type.Array(cartLine),
    totalCents: cents,
    currency: currencyCode,
    email: emailSchema,
    shippingAddress: shippingAddressSchema,
  }),
  { public: true },
)
export class CartCheckedOut {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: CartLine[],
    readonly totalCents: number,
    readonly currency: string,
    readonly email: string | null,
    readonly shippingAddress: ShippingAddress | null,
  ) {}
}

// Shapes stored before checkout took a contact. Never appended again; read as the version above.

@EventType(
  'shopping-cart.checked-out.v2',
  eventData({ cartId, customerId, lines: Type.Array(cartLine), totalCents: cents, currency: currencyCode }),
)
export class CartCheckedOutV2 {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: CartLine[],
    readonly totalCents: number,
    readonly currency: string,
  ) {}
}

// Shapes stored before carts had a currency. Never appended again; read as the versions above.

@EventType('shopping-cart.opened.v1', eventData({ cartId, customerId }))
export class CartOpenedV1 {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
  ) {}
}

@EventType(
  'shopping-cart.checked-out.v1',
  eventData({ cartId, customerId, lines: Type.Array(cartLine), totalCents: cents }),
)
export class CartCheckedOutV1 {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: CartLine[],
    readonly totalCents: number,
  ) {}
}

declareUpcaster(CartOpenedV1, CartOpened, (event) => ({ ...event, currency: DEFAULT_CURRENCY }));
declareUpcaster(CartCheckedOutV1, CartCheckedOutV2, (event) => ({ ...event, currency: DEFAULT_CURRENCY }));
declareUpcaster(CartCheckedOutV2, CartCheckedOut, (event) => ({ ...event, email: null, shippingAddress: null }));
