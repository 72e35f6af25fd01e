import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../database/column-transformers';
import type { ShippingAddress } from '../../../shopping-carts/domain/checkout-contact';
import type { OrderLine } from '../../domain/order.events';
import type { OrderStatusView } from '../order-view';

/** One row per order: what GET /orders/{orderId} and the order lists answer. */
@Entity('order_details')
@Index('ix_order_details_customer', ['customerId', 'placedPosition'])
@Index('ix_order_details_cart', ['cartId'])
export class OrderDetails {
  @PrimaryColumn({ name: 'order_id', type: 'varchar' })
  orderId!: string;

  @Column({ name: 'cart_id', type: 'varchar' })
  cartId!: string;

  @Column({ name: 'customer_id', type: 'varchar' })
  customerId!: string;

  /** ISO 4217; rows written before currencies existed got EUR from the migration, as their events read. */
  @Column({ type: 'varchar' })
  currency!: string;

  @Column({ type: 'varchar' })
  status!: OrderStatusView;

  @Column({ type: 'simple-json' })
  lines!: OrderLine[];

  @Column({ name: 'total_cents', type: 'bigint', transformer: bigintAsNumber })
  totalCents!: number;

  /** Personal data from the checkout; null without one, and once erased. */
  @Column({ type: 'varchar', nullable: true })
  email!: string | null;

  @Column({ name: 'shipping_address', type: 'simple-json', nullable: true })
  shippingAddress!: ShippingAddress | null;

  /** The customer's personal data was erased: email and shippingAddress are null for good. */
  @Column({ type: 'boolean', default: false })
  erased!: boolean;

  /** The stream version of the last event applied: replays of older events are skipped. */
  @Column({ type: 'integer' })
  version!: number;

  /** Global position of the OrderPlaced event: lists show the newest first. */
  @Column({ name: 'placed_position', type: 'bigint', transformer: bigintAsNumber })
  placedPosition!: number;
}
