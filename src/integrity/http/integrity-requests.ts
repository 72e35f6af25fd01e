import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';

export class IntegrityQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: `Check only this stream (e.g. \`shopping-cart-<cartId>\`), or the streams of this aggregate id (default: every stream): ${lengthRule(1, 300)}`,
  })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 300)
  streamId?: string;
}
