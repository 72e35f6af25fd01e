import { CanActivate, ExecutionContext, HttpException, Inject, Injectable, SetMetadata } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { authConfig } from '../config/auth.config';
import type { AuthenticatedRequest } from './auth.guard';
import { clientKey } from './client-key';

const SKIP_RATE_LIMIT = 'ledgerline:skip-rate-limit';
const WINDOW_MS = 60_000;
/** Buckets untouched this long are full again and can be forgotten. */
const SWEEP_EVERY = 10_000;

/** Exempts a route from the rate limit (health checks). */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_RATE_LIMIT, true);

export class RateLimited extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests from this client; see Retry-After', 429);
  }
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * RATE_LIMIT_PER_MINUTE requests per client (token subject, else IP) as a token bucket: bursts up to the
 * limit, refilled evenly over a minute. Counted per instance.
 *
 * Not @nestjs/throttler: its 6.x line is CommonJS and require()s the ESM-only @nestjs/common 12, which
 * Node 20 allows at run time but Jest's module loader does not (before Node 24.9), so no in-process
 * test could load the application.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly buckets = new Map<string, Bucket>();
  private calls = 0;

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const limit = this.config.rateLimitPerMinute;
    if (limit === 0) return true;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = clientKey(request);
    const now = Date.now();
    const perMs = limit / WINDOW_MS;
    const bucket = this.buckets.get(key) ?? { tokens: limit, updatedAt: now };
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(now, limit, perMs);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
      throw new RateLimited(retryAfter);
    }
    bucket.tokens -= 1;
    return true;
  }

  private sweep(now: number, limit: number, perMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * perMs >= limit) this.buckets.delete(key);
    }
  }
}
