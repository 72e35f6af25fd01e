import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { MAX_STREAM_VERSION, QueryInteger } from '../../http/query-integer';
import { MAX_QUANTITY, MAX_UNIT_PRICE_CENTS } from '../domain/shopping-cart.errors';

export class OpenCartRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'customer-42' })
  @IsString()
  @Length(1, 100)
  customerId!: string;
}

export class AddItemRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'sku-running-shoes-42' })
  @IsString()
  @Length(1, 100)
  productId!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 2, description: 'Added to the line of this product' })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_UNIT_PRICE_CENTS,
    example: 4999,
    description:
      'Price per unit in minor units (cents). Required for a product new to the cart; when omitted for a ' +
      'product already in it, the line keeps its price; when given, the line takes the new price.',
  })
  // Absent means "keep the line's price"; null is not a price and is refused.
  @ValidateIf((_, value) => value !== undefined)
  @IsInt()
  @Min(0)
  @Max(MAX_UNIT_PRICE_CENTS)
  unitPriceCents?: number;
}

export class RemoveItemQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_QUANTITY,
    description: 'How many to remove (default: the whole line)',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity?: number;
}

export class ConsistentReadQuery {
  @ApiPropertyOptional({
    minimum: 0,
    example: 42,
    description:
      'A `position` from a command response: answer only once the read model has applied it (waits at most ' +
      '5 s, then 503).',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  consistentWith?: number;
}

export class CartReadQuery extends ConsistentReadQuery {
  @ApiPropertyOptional({
    minimum: 1,
    example: 2,
    description:
      'Time travel: the cart as it was at this stream version, rebuilt from its events (404 beyond the current version)',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_STREAM_VERSION)
  atVersion?: number;
}

export class CustomerCartsQuery extends ConsistentReadQuery {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'customer-42' })
  @IsString()
  @Length(1, 100)
  customerId!: string;
}
