import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthenticationRequired, DuplicateAuthorization, RateLimited, RoleRequired } from '../auth/auth.errors';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { NotReady } from '../health/not-ready';
import { IntegrityCheckNotFound } from '../integrity/integrity.errors';
import { PersonalDataNotHeld } from '../event-sourcing/personal-data/personal-data.errors';
import { DomainRuleViolation } from '../event-sourcing/domain-rule-violation';
import {
  AggregateAlreadyExists,
  AggregateDidNotExistYet,
  AggregateNotFound,
  ConcurrencyConflict,
  IdempotencyKeyReused,
  PositionNotWritten,
  PreconditionFailed,
  ReadModelBehind,
  StreamNotFound,
  UnstorableEvent,
  VersionNotFound,
} from '../event-sourcing/event-sourcing.errors';
import {
  ParkedEventNotFound,
  ParkedRetryFailed,
  SubscriptionNotFound,
  SubscriptionNotRebuildable,
} from '../event-sourcing/subscriptions/subscription.errors';
import { TooManyLiveStreams } from '../event-log/live-streams.errors';
import { JsonTooDeep } from './json-body';
import { problem, ProblemDetails, sendProblem, statusSlug } from './problem-details';
import { RequestValidationFailed } from './request-validation';

const MAX_LISTED_ERRORS = 20;

interface Problem {
  body: ProblemDetails;
  headers?: Record<string, string>;
}

/** Maps every error to RFC 9457 problem+json. Anything unexpected is a 500 and is logged. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { body, headers } = this.toProblem(error);
    if (body.status >= 500 && body.status !== 503) {
      this.logger.error(`${request.method} ${request.originalUrl}: ${String(error)}`, (error as Error)?.stack);
    }
    if (response.headersSent) return;
    body.instance = request.originalUrl;
    sendProblem(response, body, headers);
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof AuthenticationRequired) {
      return {
        body: problem(401, 'unauthenticated', error.detail),
        headers: { 'WWW-Authenticate': error.challenge },
      };
    }
    if (error instanceof DuplicateAuthorization)
      return { body: problem(400, 'duplicate-authorization', error.message) };
    if (error instanceof RateLimited) {
      return {
        body: problem(429, 'rate-limited', error.message),
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      };
    }
    if (error instanceof RoleRequired) {
      return {
        body: problem(403, 'forbidden', error.message),
        headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
      };
    }
    if (error instanceof RequestValidationFailed) return { body: validationProblem(error) };
    if (error instanceof DomainRuleViolation) return { body: problem(422, error.code, error.message) };
    if (
      error instanceof AggregateNotFound ||
      error instanceof VersionNotFound ||
      error instanceof StreamNotFound ||
      error instanceof AggregateDidNotExistYet
    ) {
      return { body: problem(404, 'not-found', error.message) };
    }
    if (error instanceof PreconditionFailed) {
      return {
        body: problem(412, 'version-mismatch', error.message),
        headers: { ETag: `"${error.actualVersion}"` },
      };
    }
    if (
      error instanceof SubscriptionNotFound ||
      error instanceof ParkedEventNotFound ||
      error instanceof IntegrityCheckNotFound ||
      error instanceof PersonalDataNotHeld
    ) {
      return { body: problem(404, 'not-found', error.message) };
    }
    if (error instanceof SubscriptionNotRebuildable) return { body: problem(409, 'not-rebuildable', error.message) };
    if (error instanceof ParkedRetryFailed) return { body: problem(409, 'retry-failed', error.message) };
    if (error instanceof ConcurrencyConflict || error instanceof AggregateAlreadyExists) {
      return { body: problem(409, 'conflict', error.message) };
    }
    if (error instanceof IdempotencyKeyReused) return { body: problem(422, 'idempotency-key-reused', error.message) };
    if (error instanceof PositionNotWritten) {
      return {
        body: problem(400, 'validation-failed', error.message, {
          errors: [{ field: 'consistentWith', messages: [error.message] }],
        }),
      };
    }
    if (error instanceof ReadModelBehind) {
      return { body: problem(503, 'read-model-behind', error.message), headers: { 'Retry-After': '1' } };
    }
    if (error instanceof NotReady) {
      return {
        // An extension member (RFC 9457 §3.2): each check's state, as terminus reports it.
        body: Object.assign(problem(503, 'not-ready', error.message), { checks: error.checks }),
        headers: { 'Retry-After': '5' },
      };
    }
    if (error instanceof TooManyLiveStreams) {
      return {
        body: problem(429, 'too-many-live-streams', error.message),
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      };
    }
    if (error instanceof HttpException) return { body: this.fromHttpException(error) };
    if (isDatabaseUnavailable(error)) {
      return {
        body: problem(503, 'database-unavailable', 'The database is busy or unreachable; retry shortly'),
        headers: { 'Retry-After': '1' },
      };
    }
    if (error instanceof UnstorableEvent) return { body: problem(400, 'unstorable-text', error.message) };
    return { body: problem(500, 'internal-error', 'An unexpected error occurred') };
  }

  private fromHttpException(error: HttpException): ProblemDetails {
    const status = error.getStatus();
    // body-parser's errors arrive wrapped by Nest; name the cause a client can fix.
    const cause = error.cause as { type?: string; limit?: number } | undefined;
    if (status === 413 || cause?.type === 'entity.too.large') {
      const limit = cause?.limit === undefined ? '' : ` (${cause.limit} bytes)`;
      return problem(413, 'payload-too-large', `The request body is larger than the service accepts${limit}`);
    }
    if (cause instanceof JsonTooDeep) return problem(400, 'json-too-deep', cause.message);
    if (cause?.type === 'entity.parse.failed') return problem(400, 'malformed-json', 'The body is not valid JSON');
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : ((response as { message?: string | string[] }).message ?? error.message);
    // Plain HTTP statuses (unknown route, bad header) get a type named after the status, e.g. not-found.
    return problem(status, statusSlug(status), Array.isArray(message) ? message.join('; ') : message);
  }
}

/** A validation problem listing at most MAX_LISTED_ERRORS fields, so its size stays bounded. */
function validationProblem({ fieldErrors }: RequestValidationFailed): ProblemDetails {
  const detail =
    fieldErrors.length <= MAX_LISTED_ERRORS
      ? 'The request has invalid fields'
      : `The request has ${fieldErrors.length} invalid fields; the first ${MAX_LISTED_ERRORS} are listed`;
  return problem(400, 'validation-failed', detail, { errors: fieldErrors.slice(0, MAX_LISTED_ERRORS) });
}
