import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The Last-Event-ID header, read without `@Headers()`: Swagger would document that as a second, required
 * header, and Swagger UI refuses to execute a request without it.
 */
export const LastEventId = createParamDecorator(
  (_: unknown, execution: ExecutionContext): string | undefined =>
    execution.switchToHttp().getRequest<Request>().headers['last-event-id'] as string | undefined,
);
