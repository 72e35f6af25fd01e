import { Type } from '@sinclair/typebox';
import { eventData } from '../../event-sourcing/event-schema';
import { declareUpcaster, EventType } from '../../event-sourcing/event-type';
import { PersonalData } from '../../event-sourcing/personal-data/personal-data';
import { emailSchema, ShippingAddress, shippingAddressSchema } from '../../shopping-carts/domain/checkout-contact';
import { currencyCode, DEFAULT_CURRENCY } from '../../shopping-carts/domain/currency';

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

// Examples are what the event catalog shows.
const orderId = Type.String({
  minLength: 1,
  description: 'The order (a UUID v5 of its cart id)',
  examples: ['8a0f6d2c-1b3e-5f4a-9c7d-2e1f0a9b8c7d'],
});
const cartId = Type.String({ minLength: 1, examples: ['3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11'] });
const customerId = Type.String({ minLength: 1, examples: ['customer-42'] });
const cents = Type.Integer({ minimum: 0 });
const orderLine = eventData({
  productId: Type.String({ minLength: 1, examples: ['running-shoes'] }),
  quantity: Type.Integer({ minimum: 1 }),
  unitPriceCents: cents,
});

/** The contact is the customer's personal data, as on the checkout it comes from; never published. */
@PersonalData<OrderPlaced>({ subject: 'customerId', fields: ['email', 'shippingAddress'] })
@EventType(
  'order.placed.v3',
  eventData({
    orderId,
    cartId,
    customerId,
    lines: Type.Array(orderLine),
    totalCents: cents,
    currency: currencyCode,
    email: emailSchema,
    shippingAddress: shippingAddressSchema,
  }),
  { public: true },
)
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: OrderLine[],
    readonly totalCents: number,
    readonly currency: string,
    readonly email: string | null,
    readonly shippingAddress: ShippingAddress | null,
  ) {}
}

@EventType('order.paid.v1', eventData({ orderId, amountCents: cents }), { public: true })
export class OrderPaid {
  constructor(
    readonly orderId: string,
    readonly amountCents: number,
  ) {}
}

@EventType('order.shipped.v1', eventData({ orderId }), { public: true })
export class OrderShipped {
  constructor(readonly orderId: string) {}
}

@EventType('order.cancelled.v1', eventData({ orderId, reason: Type.String() }), { public: true })
export class OrderCancelled {
  constructor(
    readonly orderId: string,
    readonly reason: string,
  ) {}
}

// Shapes stored before checkout took a contact, and before carts had a currency. Never appended again;
// read as order.placed.v3.

@EventType(
  'order.placed.v2',
  eventData({ orderId, cartId, customerId, lines: Type.Array(orderLine), totalCents: cents, currency: currencyCode }),
)
export class OrderPlacedV2 {
  constructor(
    readonly orderId: string,
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: OrderLine[],
    readonly totalCents: number,
    readonly currency: string,
  ) {}
}

@EventType(
  'order.placed.v1',
  eventData({ orderId, cartId, customerId, lines: Type.Array(orderLine), totalCents: cents }),
)
export class OrderPlacedV1 {
  constructor(
    readonly orderId: string,
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: OrderLine[],
    readonly totalCents: number,
  ) {}
}

declareUpcaster(OrderPlacedV1, OrderPlacedV2, (event) => ({ ...event, currency: DEFAULT_CURRENCY }));
declareUpcaster(OrderPlacedV2, OrderPlaced, (event) => ({ ...event, email: null, shippingAddress: null }));
