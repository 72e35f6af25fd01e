import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';
import { QueryInteger } from '../../http/query-integer';
import { ConsistentReadQuery } from '../../http/read-queries';
import { DEFAULT_CURRENCY, SUPPORTED_CURRENCIES } from '../domain/currency';
import type { Currency } from '../domain/currency';
import { MAX_QUANTITY, MAX_UNIT_PRICE_CENTS } from '../domain/shopping-cart.errors';

export class OpenCartRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'customer-42', description: lengthRule(1, 100) })
  @IsString()
  @CodePointLength(1, 100)
  customerId!: string;

  @ApiPropertyOptional({
    enum: SUPPORTED_CURRENCIES,
    default: DEFAULT_CURRENCY,
    example: 'EUR',
    description: 'ISO 4217 code of the currency every price in the cart counts in (minor units, cents)',
  })
  // Absent means the default; null is not a currency and is refused.
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(SUPPORTED_CURRENCIES, { message: `currency must be one of ${SUPPORTED_CURRENCIES.join(', ')}` })
  currency?: Currency;
}

export class AddItemRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'sku-running-shoes-42', description: lengthRule(1, 100) })
  @IsString()
  @CodePointLength(1, 100)
  productId!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_QUANTITY,
    example: 2,
    description: 'Added to the line of this product',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({
    type: 'integer',
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
    type: 'integer',
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

export class CustomerCartsQuery extends ConsistentReadQuery {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'customer-42', description: lengthRule(1, 100) })
  @IsString()
  @CodePointLength(1, 100)
  customerId!: string;
}
