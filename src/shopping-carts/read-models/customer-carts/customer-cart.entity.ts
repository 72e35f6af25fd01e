import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../database/column-transformers';
import type { CartLineView } from '../cart-lines';

/** One row per cart, listed by customer: what GET /carts?customerId= answers. */
@Entity('customer_carts')
@Index('ix_customer_carts_customer_opened', ['customerId', 'openedPosition'])
export class CustomerCart {
  @PrimaryColumn({ name: 'cart_id', type: 'varchar' })
  cartId!: string;

  @Column({ name: 'customer_id', type: 'varchar' })
  customerId!: string;

  /** ISO 4217; rows written before currencies existed got EUR from the migration, as their events read. */
  @Column({ type: 'varchar' })
  currency!: string;

  @Column({ type: 'varchar' })
  status!: 'open' | 'checked_out';

  /** Units in the cart, summed over its lines. */
  @Column({ name: 'item_count', type: 'integer' })
  itemCount!: number;

  @Column({ name: 'total_cents', type: 'bigint', transformer: bigintAsNumber })
  totalCents!: number;

  @Column({ type: 'integer' })
  version!: number;

  /** The lines behind the count and total, so removals can be priced. */
  @Column({ name: 'lines', type: 'simple-json' })
  items!: CartLineView[];

  /** Global position of the CartOpened event: newest first means highest first. */
  @Column({ name: 'opened_position', type: 'bigint', transformer: bigintAsNumber })
  openedPosition!: number;
}
