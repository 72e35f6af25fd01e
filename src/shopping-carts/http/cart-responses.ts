import { ApiProperty } from '@nestjs/swagger';

export const EXAMPLE_CART_ID = '3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11';

export class CartCommandResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_CART_ID })
  cartId!: string;

  @ApiProperty({
    type: 'integer',
    example: 3,
    description: "The cart's stream version after the command (also the ETag)",
  })
  version!: number;

  @ApiProperty({
    type: 'integer',
    example: 42,
    description: 'Global position of the last event written; pass it as consistentWith',
  })
  position!: number;
}

export class CartItemResponse {
  @ApiProperty({ example: 'sku-running-shoes-42' })
  productId!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity!: number;

  @ApiProperty({ type: 'integer', example: 4999 })
  unitPriceCents!: number;

  @ApiProperty({ type: 'integer', example: 9998 })
  lineTotalCents!: number;
}

export class CartResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_CART_ID })
  cartId!: string;

  @ApiProperty({ example: 'customer-42' })
  customerId!: string;

  @ApiProperty({ enum: ['open', 'checked_out'], example: 'open' })
  status!: 'open' | 'checked_out';

  @ApiProperty({ type: [CartItemResponse] })
  items!: CartItemResponse[];

  @ApiProperty({ type: 'integer', example: 9998 })
  totalCents!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code; every amount is in its minor units (cents)' })
  currency!: string;

  @ApiProperty({ type: 'integer', example: 3 })
  version!: number;
}

export class CustomerCartResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_CART_ID })
  cartId!: string;

  @ApiProperty({ enum: ['open', 'checked_out'], example: 'checked_out' })
  status!: 'open' | 'checked_out';

  @ApiProperty({ type: 'integer', example: 3, description: 'Units in the cart, over all its lines' })
  itemCount!: number;

  @ApiProperty({ type: 'integer', example: 10748 })
  totalCents!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code; every amount is in its minor units (cents)' })
  currency!: string;

  @ApiProperty({ type: 'integer', example: 5 })
  version!: number;
}
