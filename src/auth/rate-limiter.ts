import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { authConfig } from '../config/auth.config';

const WINDOW_S = 60;
/** Created by the CreateRateLimits migration, in DATABASE_SCHEMA. */
const TABLE = 'rate_limits';

/**
 * RATE_LIMIT_PER_MINUTE requests per client key per minute, with rate-limiter-flexible: a fixed one-minute
 * window per key. On PostgreSQL the counts live in the `rate_limits` table, so every instance spends from
 * the same budget; while PostgreSQL does not answer, each instance falls back to counting in its own
 * memory (the library's insurance limiter) rather than refusing or waving everything through. On SQLite
 * there is one process, and the counts stay in its memory.
 *
 * Not @nestjs/throttler: its 6.x line is CommonJS and require()s the ESM-only @nestjs/common 12, which
 * Node 20 allows at run time but Jest's module loader does not (before Node 24.9), so no in-process
 * test could load the application. rate-limiter-flexible has no NestJS dependency.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly limiter: RateLimiterAbstract | undefined;

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>, dataSource: DataSource) {
    const points = config.rateLimitPerMinute;
    if (points === 0) return;
    const options = dataSource.options;
    if (options.type !== 'postgres') {
      this.limiter = new RateLimiterMemory({ points, duration: WINDOW_S });
      return;
    }
    this.limiter = new RateLimiterPostgres({
      // TypeORM's pool: no connections of its own, and it closes with the DataSource.
      storeClient: (dataSource.driver as unknown as { master: Pool }).master,
      storeType: 'pool',
      schemaName: options.schema,
      tableName: TABLE,
      tableCreated: true,
      // Each instance deletes windows that ended an hour ago, every five minutes.
      clearExpiredByTimeout: true,
      points,
      duration: WINDOW_S,
      insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_S }),
    });
  }

  /** Spends one request of `key`'s budget; when none is left, the seconds until there is one, else undefined. */
  async take(key: string): Promise<number | undefined> {
    if (this.limiter === undefined) return undefined;
    try {
      await this.limiter.consume(key);
      return undefined;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  }

  /** Returns a request `take` spent, when it turns out to count against another key. */
  async giveBack(key: string): Promise<void> {
    if (this.limiter === undefined) return;
    try {
      await this.limiter.reward(key);
    } catch (error) {
      // At worst the address is charged one request too many.
      this.logger.warn(`Could not give back a rate-limited request: ${String(error)}`);
    }
  }
}
