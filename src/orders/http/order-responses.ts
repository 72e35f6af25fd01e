import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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

export class ShippingAddressResponse {
  @ApiProperty({ example: 'Ann Example' })
  name!: string;

  @ApiProperty({ example: '1 Main Street' })
  line1!: string;

  @ApiPropertyOptional({ example: 'Flat 2', description: 'Absent when the checkout gave none' })
  line2?: string;

  @ApiProperty({ example: '10115' })
  postalCode!: string;

  @ApiProperty({ example: 'Berlin' })
  city!: string;

  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  country!: string;
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

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'ann@example.com',
    description: 'From the checkout: personal data of the customer. Null when the checkout gave none, or once erased',
  })
  email!: string | null;

  @ApiProperty({
    type: ShippingAddressResponse,
    nullable: true,
    description: 'From the checkout: personal data of the customer. Null when the checkout gave none, or once erased',
  })
  shippingAddress!: ShippingAddressResponse | null;

  @ApiProperty({
    example: false,
    description: "True once the customer's personal data was erased: email and shippingAddress are null for good",
  })
  erased!: boolean;

  @ApiProperty({ type: 'integer', example: 2 })
  version!: number;
}
