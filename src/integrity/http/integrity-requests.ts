import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';

export class IntegrityQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: `Check only this stream (default: every stream): ${lengthRule(1, 300)}`,
    example: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11',
  })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 300)
  streamId?: string;
}
