import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class IntegrityQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: 'Check only this stream, e.g. `shopping-cart-<cartId>` (default: every stream)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  streamId?: string;
}
