import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import { authConfig } from '../config/auth.config';
import { hasBody } from '../http/json-body';
import { DuplicateAuthorization, RateLimited } from './auth.errors';
import type { AuthenticatedRequest } from './auth.guard';
import { RateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';
import { clientKey } from './client-key';

/**
 * Open to anyone whatever AUTH_MODE says, and not rate-limited: health checks, the API docs, the event
 * catalog and the explorer's static page (its API calls carry the reader's token).
 */
const PUBLIC_PATH = /^\/(?:health|docs|docs-json|asyncapi|asyncapi\.json|explorer)(?:\/.*)?$/i;

/**
 * Runs before the body parser, so no body is read for a request that will be refused:
 * 1. public paths pass, unless they send a body (no public route takes one);
 * 2. the client's IP address spends one request of its rate limit, before any token is verified, so
 *    requests with bad tokens count too;
 * 3. with AUTH_MODE=jwt, exactly one Authorization header with a verified token (401 otherwise);
 * 4. a verified request counts against its token's subject instead of the address, so clients behind
 *    one address (a proxy, a NAT) are limited apart.
 * Roles are checked per route by AuthGuard. A refusal closes the connection: the body it announced
 * was never read, so the connection cannot carry another request.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly tokens: TokenVerifier,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  use(request: AuthenticatedRequest, response: Response, next: NextFunction): void {
    if (PUBLIC_PATH.test(request.path) && !hasBody(request)) {
      next();
      return;
    }
    this.admit(request).then(
      () => next(),
      (error: unknown) => {
        if (hasBody(request)) response.setHeader('Connection', 'close');
        next(error);
      },
    );
  }

  private async admit(request: AuthenticatedRequest): Promise<void> {
    const address = clientKey(request);
    await this.spend(address);
    if (this.config.mode === 'off') return;
    const headers = authorizationHeaders(request);
    if (headers > 1) throw new DuplicateAuthorization(headers);
    request.principal = await this.tokens.verify(request.headers.authorization);
    await this.limiter.giveBack(address);
    await this.spend(clientKey(request));
  }

  private async spend(key: string): Promise<void> {
    const retryAfter = await this.limiter.take(key);
    if (retryAfter !== undefined) throw new RateLimited(retryAfter);
  }
}

/** Node keeps only the first of repeated Authorization headers; the raw list has them all. */
function authorizationHeaders(request: Request): number {
  return request.rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === 'authorization').length;
}
