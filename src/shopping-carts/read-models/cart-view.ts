import type { CartLineView } from './cart-lines';

/** A cart as queries return it, from the read table or rebuilt at a version. */
export interface CartView {
  cartId: string;
  customerId: string;
  currency: string;
  status: 'open' | 'checked_out';
  items: CartLineView[];
  totalCents: number;
  version: number;
}
