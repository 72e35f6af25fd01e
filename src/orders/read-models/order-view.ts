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
  version: number;
}
