import { ShippingAddress, shippingAddressOf } from '../../shopping-carts/domain/checkout-contact';
import type { OrderLine } from '../domain/order.events';

export type OrderStatusView = 'placed' | 'paid' | 'shipped' | 'cancelled';

/** An order as queries return it, from the read table or rebuilt at a version. */
export interface OrderView {
  orderId: string;
  cartId: string;
  customerId: string;
  status: OrderStatusView;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  /** The contact given at checkout; null without one, and once erased. */
  email: string | null;
  shippingAddress: ShippingAddress | null;
  /** The customer's personal data was erased: email and shippingAddress are gone for good. */
  erased: boolean;
  version: number;
}

/**
 * The view with one key order at every depth. The lines come from the checkout event, which
 * PostgreSQL's jsonb hands back in its own key order; the JSON answered is the same on every engine.
 */
export function orderView({
  orderId,
  cartId,
  customerId,
  status,
  lines,
  totalCents,
  currency,
  email,
  shippingAddress,
  erased,
  version,
}: OrderView): OrderView {
  return {
    orderId,
    cartId,
    customerId,
    status,
    lines: lines.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
    totalCents,
    currency,
    email,
    shippingAddress: shippingAddressOf(shippingAddress),
    erased,
    version,
  };
}
