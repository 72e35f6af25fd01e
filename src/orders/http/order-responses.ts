import { ApiProperty } from '@nestjs/swagger';

export const EXAMPLE_ORDER_ID = '8a0f6d2c-1b3e-5f4a-9c7d-2e1f0a9b8c7d';

export class OrderCommandResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ORDER_ID })
  orderId!: string;

  @ApiProperty({
    type: 'integer',
    example: 2,
    description: "The order's stream version after the command (also the ETag)",
  })
  version!: number;

  @ApiProperty({
    type: 'integer',
    example: 57,
    description: 'Global position of the last event written; pass it as consistentWith',
  })
  position!: number;
}

export class OrderLineResponse {
  @ApiProperty({ example: 'running-shoes' })
  productId!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity!: number;

  @ApiProperty({ type: 'integer', example: 4999 })
  unitPriceCents!: number;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ORDER_ID })
  orderId!: string;

  @ApiProperty({ format: 'uuid', example: '3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11' })
  cartId!: string;

  @ApiProperty({ example: 'customer-42' })
  customerId!: string;

  @ApiProperty({ enum: ['placed', 'paid', 'shipped', 'cancelled'], example: 'paid' })
  status!: 'placed' | 'paid' | 'shipped' | 'cancelled';

  @ApiProperty({ type: [OrderLineResponse] })
  lines!: OrderLineResponse[];

  @ApiProperty({ type: 'integer', example: 9998 })
  totalCents!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code; every amount is in its minor units (cents)' })
  currency!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  version!: number;
}
