import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';

export const MAX_REASON = 500;

const REASON = {
  minLength: 1,
  maxLength: MAX_REASON,
  description: `Why the data is erased, kept in the audit event: ${lengthRule(1, MAX_REASON)}. Required, in the query or the body`,
};

export class ErasureQuery {
  // No example: Swagger UI would prefill the query and send it along with a body's reason.
  @ApiPropertyOptional(REASON)
  @IsOptional()
  @IsString()
  @CodePointLength(1, MAX_REASON)
  reason?: string;
}

export class ErasureRequest {
  @ApiPropertyOptional({ ...REASON, example: 'Erasure request by e-mail, ticket 4711' })
  @IsOptional()
  @IsString()
  @CodePointLength(1, MAX_REASON)
  reason?: string;
}
