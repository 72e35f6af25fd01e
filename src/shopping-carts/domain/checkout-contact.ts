import { Type } from '@sinclair/typebox';
import { eventData } from '../../event-sourcing/event-schema';

/** Where the order ships to. `country` is an ISO 3166-1 alpha-2 code. */
export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  country: string;
}

/**
 * The customer's personal data given at checkout: both null for a cart that ships nowhere and sends no
 * receipt. An address comes only with an e-mail address, so that someone can be told about the shipment.
 */
export interface CheckoutContact {
  email: string | null;
  shippingAddress: ShippingAddress | null;
}

export const NO_CONTACT: CheckoutContact = { email: null, shippingAddress: null };

// No maxLength: the API allows 200 code points, which TypeBox would count in UTF-16 units.
const text = (example: string) => Type.String({ minLength: 1, examples: [example] });

// Nullable: an erased event reads its personal fields as null, and so does a checkout without them.
export const emailSchema = Type.Union([
  Type.String({ minLength: 1, description: 'An e-mail address', examples: ['ann@example.com'] }),
  Type.Null(),
]);

export const shippingAddressSchema = Type.Union([
  eventData({
    name: text('Ann Example'),
    line1: text('1 Main Street'),
    line2: Type.Optional(text('Flat 2')),
    postalCode: text('10115'),
    city: text('Berlin'),
    country: Type.String({ minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$', examples: ['DE'] }),
  }),
  Type.Null(),
]);

/** A copy with the fields in one order, and without an absent `line2`, whatever order it arrived in. */
export function shippingAddressOf(address: ShippingAddress | null): ShippingAddress | null {
  if (address === null) return null;
  const { name, line1, line2, postalCode, city, country } = address;
  return { name, line1, ...(line2 !== undefined && { line2 }), postalCode, city, country };
}
