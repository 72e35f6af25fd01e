import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

/** One field that failed validation. */
export class FieldError {
  @ApiProperty({ example: 'quantity' })
  field!: string;

  @ApiProperty({ example: ['quantity must be an integer number'], type: [String] })
  messages!: string[];
}

/** RFC 9457 problem details, as every error of this API is answered. */
export class ProblemDetails {
  @ApiProperty({ example: 'urn:ledgerline:problem:validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request has invalid fields' })
  detail!: string;

  @ApiPropertyOptional({ example: '/carts/3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11/items' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldError], description: 'The failing fields (400 validation problems only)' })
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(slug: string): string {
  return `urn:ledgerline:problem:${slug}`;
}

/** A problem of this API; `about:blank` for plain HTTP statuses, else `urn:ledgerline:problem:<slug>`. */
export function problem(
  status: number,
  slug: string,
  detail: string,
  extra: Partial<ProblemDetails> = {},
): ProblemDetails {
  return {
    type: slug === 'about:blank' ? slug : problemType(slug),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...extra,
  };
}
