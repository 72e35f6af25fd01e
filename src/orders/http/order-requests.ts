import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';
import { ConsistentReadQuery } from '../../http/read-queries';

export class PayOrderRequest {
  // 9998 pays for the order that the cart examples (2 × 4999) check out.
  @ApiProperty({ type: 'integer', minimum: 0, example: 9998, description: 'Must equal the order total (minor units)' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountCents!: number;
}

export class CancelOrderRequest {
  @ApiProperty({
    minLength: 1,
    maxLength: 500,
    example: 'Customer changed their mind',
    description: lengthRule(1, 500),
  })
  @IsString()
  @CodePointLength(1, 500)
  reason!: string;
}

export class ListOrdersQuery extends ConsistentReadQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    description: `The customer's orders, e.g. customer-42: ${lengthRule(1, 100)}`,
  })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 100)
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: `The cart the order was placed from: ${lengthRule(1, 100)}` })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 100)
  cartId?: string;
}
