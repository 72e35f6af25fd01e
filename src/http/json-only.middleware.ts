import type { NextFunction, Request, Response } from 'express';
import { hasBody } from './json-body';
import { problem, sendProblem } from './problem-details';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Commands take JSON and nothing else: a body of another type answers 415 before any parsing, instead
 * of arriving as an empty object and failing validation with a misleading 400. Bodiless commands
 * (checkout, shipment) need no Content-Type.
 */
export function jsonOnly(request: Request, response: Response, next: NextFunction): void {
  const contentType = request.headers['content-type'];
  if (
    ['GET', 'HEAD', 'OPTIONS'].includes(request.method) ||
    !hasBody(request) ||
    (contentType !== undefined && JSON_TYPE.test(contentType))
  ) {
    next();
    return;
  }
  const body = problem(
    415,
    'unsupported-media-type',
    `Send the body as application/json, not ${contentType ?? 'an untyped body'}`,
    {
      instance: request.originalUrl,
    },
  );
  sendProblem(response, body);
}
