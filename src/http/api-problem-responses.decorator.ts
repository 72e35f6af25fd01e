import { applyDecorators } from '@nestjs/common';
import { roleRequirement } from '../auth/auth.errors';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { DomainRuleViolation } from '../event-sourcing/domain-rule-violation';
import { ConcurrencyConflict, PreconditionFailed, ReadModelBehind } from '../event-sourcing/event-sourcing.errors';
import { PROBLEM_CONTENT_TYPE, problem, ProblemDetails } from './problem-details';

/** One problem a route can answer with: when it happens, and a body as the service sends it. */
export interface ProblemSample {
  when: string;
  body: ProblemDetails;
}

/** A problem as the service sends it; `slug` names its type, as for `problem()`. */
export function problemSample(status: number, slug: string, detail: string, when: string): ProblemSample {
  return { when, body: problem(status, slug, detail) };
}

/** Problems that read the same on every route that can answer them. */
const COMMON = {
  400: problemSample(
    400,
    'validation-failed',
    'The request has invalid fields',
    'Malformed JSON, or an invalid field, query parameter or header',
  ),
  401: problemSample(
    401,
    'unauthenticated',
    'A bearer token is required',
    'No valid bearer token (missing, malformed, badly signed, expired); see WWW-Authenticate',
  ),
  413: problemSample(
    413,
    'payload-too-large',
    'The request body is larger than the service accepts',
    'The body is larger than the service accepts (BODY_LIMIT)',
  ),
  415: problemSample(
    415,
    'unsupported-media-type',
    'Send the body as application/json, not text/plain',
    'The body is not application/json',
  ),
  422: problemSample(
    422,
    'idempotency-key-reused',
    'Idempotency-Key "order-7-payment" was already used for a different request',
    'The Idempotency-Key was already used for a different request',
  ),
  429: problemSample(
    429,
    'rate-limited',
    'Too many requests from this client; see Retry-After',
    'Over the per-client rate limit (RATE_LIMIT_PER_MINUTE); see Retry-After',
  ),
  503: problemSample(
    503,
    'database-unavailable',
    'The database is busy or unreachable; retry shortly',
    'The database is busy or unreachable; see Retry-After',
  ),
} as const;
export type CommonProblem = keyof typeof COMMON;

/** 403 for a token without the route's role (or any of its roles). */
export function forbidden(...roles: string[]): ProblemSample {
  const lacked = roles.map((role) => `"${role}"`).join(' and ');
  const plural = roles.length > 1 ? 's' : '';
  return problemSample(403, 'forbidden', roleRequirement(roles), `The token lacks the ${lacked} role${plural}`);
}

/** 404 with the detail the service gives, e.g. from `new AggregateNotFound('Order', id)`. */
export function notFound(error: Error, when: string): ProblemSample {
  return problemSample(404, 'not-found', error.message, when);
}

/** 409 and 412 of a command on one aggregate, their details naming its stream as the service does. */
export function versionProblems(streamId: string): ProblemSample[] {
  return [
    problemSample(
      409,
      'conflict',
      new ConcurrencyConflict(streamId, 10).message,
      'Concurrent writes kept winning until the retries ran out',
    ),
    problemSample(
      412,
      'version-mismatch',
      new PreconditionFailed(streamId, 3, 4).message,
      'If-Match names a version the aggregate has moved past; the current ETag is in the ETag header',
    ),
  ];
}

/** 422 for a domain rule, made from the rule's own error so its type and detail are the ones sent. */
export function refused(violation: DomainRuleViolation): ProblemSample {
  return problemSample(422, violation.code, violation.message, 'A domain rule refused the command');
}

/** 503 of a `consistentWith` read whose read model did not catch up within CONSISTENCY_WAIT_MS. */
export function readModelBehind(subscription: string): ProblemSample {
  return problemSample(
    503,
    'read-model-behind',
    new ReadModelBehind(subscription, 42, 41).message,
    'The read model did not reach consistentWith in time; see Retry-After',
  );
}

/**
 * Documents the error statuses a route answers with as RFC 9457 problem+json: a common problem by its
 * status, or a route's own sample. Samples of one status become named examples, one per problem type.
 */
export function ApiProblemResponses(...problems: (CommonProblem | ProblemSample)[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ProblemSample[]>();
  for (const entry of problems) {
    const found = typeof entry === 'number' ? COMMON[entry] : entry;
    byStatus.set(found.body.status, [...(byStatus.get(found.body.status) ?? []), found]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...[...byStatus].map(([status, samples]) =>
      ApiResponse({
        status,
        description: [...new Set(samples.map((entry) => entry.when))].join('; or: '),
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDetails) },
            ...(samples.length === 1 ? { example: samples[0]!.body } : { examples: namedExamples(samples) }),
          },
        },
      }),
    ),
  );
}

/** Keyed by problem type (`not-found`, `not-found-2`, …), so Swagger UI's example menu names each. */
function namedExamples(samples: ProblemSample[]): Record<string, { summary: string; value: ProblemDetails }> {
  const examples: Record<string, { summary: string; value: ProblemDetails }> = {};
  for (const { when, body } of samples) {
    const slug = body.type.slice(body.type.lastIndexOf(':') + 1);
    let key = slug;
    for (let n = 2; key in examples; n += 1) key = `${slug}-${n}`;
    examples[key] = { summary: when, value: body };
  }
  return examples;
}
