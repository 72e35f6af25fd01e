import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Response } from 'express';
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

/** The slug of a plain HTTP status, e.g. `not-found` for 404. */
export function statusSlug(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z]+/g, '-');
}

/** A problem of this API, typed `urn:ledgerline:problem:<slug>`. */
export function problem(
  status: number,
  slug: string,
  detail: string,
  extra: Partial<ProblemDetails> = {},
): ProblemDetails {
  return { type: problemType(slug), title: STATUS_CODES[status] ?? 'Error', status, detail, ...extra };
}

/**
 * Writes the problem as the whole response. Not express's `send`: that adds a weak ETag computed from
 * the body, which would make an error look like a cacheable representation.
 */
export function sendProblem(response: Response, body: ProblemDetails, headers: Record<string, string> = {}): void {
  response
    .status(body.status)
    .set(headers)
    .set('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
    .end(JSON.stringify(body));
}
