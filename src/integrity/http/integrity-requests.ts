import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';

export class IntegrityQuery {
  @ApiProperty({
    minLength: 1,
    maxLength: 300,
    description: `The stream to check (e.g. \`shopping-cart-<cartId>\`), or an aggregate id for its streams: ${lengthRule(1, 300)}`,
  })
  // Required, but checked by the controller: its refusal says where a check of every stream went.
  @IsOptional()
  @IsString()
  @CodePointLength(1, 300)
  streamId?: string;
}
