import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemType } from './problem-details';

const DESCRIPTIONS: Record<number, [string, string, string]> = {
  400: ['Malformed JSON, an invalid field or header', 'validation-failed', 'The request has invalid fields'],
  401: [
    'No valid bearer token (missing, malformed, badly signed, expired); see WWW-Authenticate',
    'unauthenticated',
    'A bearer token is required',
  ],
  403: ['The token lacks the role this route needs', 'forbidden', 'This route needs the "carts:write" role'],
  404: ['No such aggregate (or a malformed id)', 'not-found', 'ShoppingCart 5f0c… does not exist'],
  409: ['Concurrent writes kept winning until the retries ran out', 'conflict', 'Stream … kept changing concurrently'],
  412: [
    'If-Match names a version the aggregate has moved past; the current ETag is in the ETag header',
    'version-mismatch',
    'Stream … is at version 4, If-Match expected 3',
  ],
  413: [
    'The body is larger than the service accepts',
    'payload-too-large',
    'The request body is larger than the service accepts',
  ],
  415: ['Command bodies must be application/json', 'unsupported-media-type', 'Send the body as application/json'],
  422: [
    'A domain rule refused the command, or an Idempotency-Key was reused for another request',
    'cart-already-checked-out',
    'Cart … is checked out and accepts no further changes',
  ],
  429: [
    'Over the per-client rate limit (or, for GET /events/live, its open streams); see Retry-After',
    'rate-limited',
    'Too many requests from this client; see Retry-After',
  ],
  503: [
    'The read model did not catch up within the wait, or the database is busy; see Retry-After',
    'read-model-behind',
    'Read model cart-details is at position 41, not yet at 42',
  ],
};

/** Documents the listed error statuses as RFC 9457 problem+json responses. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...statuses.map((status) => {
      const [description, slug, detail] = DESCRIPTIONS[status] ?? ['Error', 'about:blank', ''];
      return ApiResponse({
        status,
        description,
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDetails) },
            example: { type: problemType(slug), title: '', status, detail },
          },
        },
      });
    }),
  );
}
