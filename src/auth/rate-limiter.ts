import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/auth.config';

const WINDOW_MS = 60_000;
/** Buckets untouched this long are full again and can be forgotten. */
const SWEEP_EVERY = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * RATE_LIMIT_PER_MINUTE requests per client key as a token bucket: bursts up to the limit, refilled evenly
 * over a minute. Counted per instance.
 *
 * Not @nestjs/throttler: its 6.x line is CommonJS and require()s the ESM-only @nestjs/common 12, which
 * Node 20 allows at run time but Jest's module loader does not (before Node 24.9), so no in-process
 * test could load the application.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private calls = 0;

  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  /** Spends one request of `key`'s budget; when none is left, the seconds until there is one, else undefined. */
  take(key: string): number | undefined {
    const limit = this.config.rateLimitPerMinute;
    if (limit === 0) return undefined;
    const now = Date.now();
    const perMs = limit / WINDOW_MS;
    const bucket = this.buckets.get(key) ?? { tokens: limit, updatedAt: now };
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(now, limit, perMs);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    bucket.tokens -= 1;
    return undefined;
  }

  /** Returns a request `take` spent, when it turns out to count against another key. */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) bucket.tokens = Math.min(this.config.rateLimitPerMinute, bucket.tokens + 1);
  }

  private sweep(now: number, limit: number, perMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * perMs >= limit) this.buckets.delete(key);
    }
  }
}
