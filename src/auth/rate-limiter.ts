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

/** A request waiting for its answer: undefined (admitted) or the seconds until the budget has room. */
type Taker = (retryAfter: number | undefined) => void;

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
  private readonly points: number = 0;
  /**
   * On PostgreSQL, per key: the requests that arrived while one count was on its way, spent together by
   * the next. Each count is an upsert of the key's one row, committed with a flush to disk, so concurrent
   * requests of one client would otherwise queue on that row's lock, one commit each.
   */
  private readonly waiting = new Map<string, { takers: Taker[]; failed: ((error: unknown) => void)[] }>();
  private readonly counting = new Set<string>();

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>, dataSource: DataSource) {
    const points = config.rateLimitPerMinute;
    if (points === 0) return;
    this.points = points;
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
    const limiter = this.limiter;
    if (limiter === undefined) return undefined;
    if (!(limiter instanceof RateLimiterPostgres)) return (await this.spend(limiter, key, 1))[0];
    return new Promise((resolve, reject) => {
      let next = this.waiting.get(key);
      if (next === undefined) this.waiting.set(key, (next = { takers: [], failed: [] }));
      next.takers.push(resolve);
      next.failed.push(reject);
      if (!this.counting.has(key)) this.countNext(limiter, key);
    });
  }

  /** Spends the requests waiting for `key` in one count, then, once it is done, those that came meanwhile. */
  private countNext(limiter: RateLimiterAbstract, key: string): void {
    const next = this.waiting.get(key);
    if (next === undefined) {
      this.counting.delete(key);
      return;
    }
    this.waiting.delete(key);
    this.counting.add(key);
    this.spend(limiter, key, next.takers.length)
      .then(
        (answers) => next.takers.forEach((taker, index) => taker(answers[index])),
        (error: unknown) => next.failed.forEach((reject) => reject(error)),
      )
      .finally(() => this.countNext(limiter, key));
  }

  /**
   * Spends `count` requests in one count and answers each as if they had come one by one, in order: the
   * store adds them all (it adds refused requests too), and those past the budget are refused.
   */
  private async spend(limiter: RateLimiterAbstract, key: string, count: number): Promise<(number | undefined)[]> {
    let counted: RateLimiterRes;
    let refused = false;
    try {
      counted = await limiter.consume(key, count);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      counted = refusal;
      refused = true;
    }
    const retryAfter = Math.max(1, Math.ceil(counted.msBeforeNext / 1000));
    const before = counted.consumedPoints - count;
    return Array.from({ length: count }, (_, index) =>
      refused && before + index + 1 > this.points ? retryAfter : undefined,
    );
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
