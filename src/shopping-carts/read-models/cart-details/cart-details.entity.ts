import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../database/column-transformers';
import type { CartLineView } from '../cart-lines';

/** One row per cart: what GET /carts/{cartId} answers. Owned by CartDetailsProjection. */
@Entity('cart_details')
export class CartDetails {
  @PrimaryColumn({ name: 'cart_id', type: 'varchar' })
  cartId!: string;

  @Column({ name: 'customer_id', type: 'varchar' })
  customerId!: string;

  /** ISO 4217; rows written before currencies existed got EUR from the migration, as their events read. */
  @Column({ type: 'varchar' })
  currency!: string;

  @Column({ type: 'varchar' })
  status!: 'open' | 'checked_out';

  @Column({ type: 'simple-json' })
  items!: CartLineView[];

  @Column({ name: 'total_cents', type: 'bigint', transformer: bigintAsNumber })
  totalCents!: number;

  /** The stream version of the last event applied: replays of older events are skipped. */
  @Column({ type: 'integer' })
  version!: number;
}
