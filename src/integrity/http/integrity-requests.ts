import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class IntegrityQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: 'Check only this stream, or the streams of this aggregate id (default: every stream)',
    example: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  streamId?: string;
}
