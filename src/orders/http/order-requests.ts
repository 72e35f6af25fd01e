import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_STREAM_VERSION, QueryInteger } from '../../http/query-integer';

export class PayOrderRequest {
  @ApiProperty({ minimum: 0, example: 10748, description: 'Must equal the order total (minor units)' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountCents!: number;
}

export class CancelOrderRequest {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'Customer changed their mind' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class OrderReadQuery {
  @ApiPropertyOptional({ minimum: 0, description: 'Answer only once the read model has applied this position' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  consistentWith?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Time travel: the order at this stream version, from its events' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_STREAM_VERSION)
  atVersion?: number;
}

export class ListOrdersQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'customer-42' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The cart the order was placed from' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cartId?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Answer only once the read model has applied this position' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  consistentWith?: number;
}
