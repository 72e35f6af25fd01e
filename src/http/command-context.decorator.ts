import { applyDecorators, BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { clientScope, CommandContext } from '../event-sourcing/command-context';

const MAX_HEADER_TOKEN = 200;

function singleHeader(request: Request, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  if (Array.isArray(value)) throw new BadRequestException(`Send the ${name} header once`);
  return value;
}

function token(request: Request, name: string): string | undefined {
  const value = singleHeader(request, name);
  if (value === undefined) return undefined;
  if (value.length < 1 || value.length > MAX_HEADER_TOKEN) {
    throw new BadRequestException(`${name} must be 1 to ${MAX_HEADER_TOKEN} characters`);
  }
  return value;
}

/** `"7"` (or `W/"7"`, or a bare 7) → 7; `*` → no version check. */
function ifMatch(request: Request): number | undefined {
  const value = singleHeader(request, 'If-Match')?.trim();
  if (value === undefined || value === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  if (match === null) throw new BadRequestException('If-Match must be an ETag of this API, e.g. "3"');
  return Number(match[1]);
}

/**
 * The command's context from the request: If-Match, Idempotency-Key (fingerprinted with the method,
 * URL and body, so a key reused for another request is refused; scoped to the token's subject, so it
 * never answers or refuses another caller) and X-Correlation-Id.
 */
export const CommandContextFrom = createParamDecorator((_: unknown, execution: ExecutionContext): CommandContext => {
  const request = execution
    .switchToHttp()
    .getRequest<Request & { principal?: { sub: string }; correlationId?: string }>();
  const commandId = randomUUID();
  const key = token(request, 'Idempotency-Key');
  const context: CommandContext = {
    commandId,
    correlationId: token(request, 'X-Correlation-Id') ?? commandId,
    causationId: commandId,
    expectedVersion: ifMatch(request),
    actor: request.principal?.sub,
  };
  // For the request's log line.
  request.correlationId = context.correlationId;
  if (key !== undefined) {
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.originalUrl} ${JSON.stringify(request.body ?? null)}`)
      .digest('base64url');
    context.idempotency = { scope: clientScope(context.actor), key, fingerprint };
  }
  return context;
});

/**
 * Documents the headers every command accepts. None has an example: Swagger UI would send it with every
 * "Try it out", turning each command into a conditional or a replayed one.
 */
export function ApiCommandHeaders(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'The ETag (version) the client last saw, e.g. `"3"`. If the aggregate has moved on: 412, no retry. ' +
        'Without it, a command that loses a race is decided again against the newer state.',
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Up to 200 characters, e.g. a UUID new to each request, scoped to the caller (the token subject). A ' +
        'repeat of the same request with the same key returns the first response and appends nothing; the same ' +
        'key on a different request is refused with 422. Keys expire after IDEMPOTENCY_RETENTION_HOURS.',
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: 'Stored as metadata.correlationId on every event this request causes (default: the command id).',
    }),
  );
}
