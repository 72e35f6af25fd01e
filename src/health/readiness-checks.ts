import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { appConfig } from '../config/app.config';
import { EventStore } from '../event-sourcing/event-store';
import { SubscriptionRunner } from '../event-sourcing/subscriptions/subscription-runner';

/** A probe that waits longer than this says "down": a load balancer's own timeout would say less. */
const CHECK_TIMEOUT_MS = 3000;

/** Raised inside a check: its message is what the probe's caller sees, so it never quotes the driver. */
class CheckFailed extends Error {}

/**
 * What "ready for traffic" means here: the database answers, this build's migrations are all applied, and
 * no subscription is so far behind (READY_MAX_LAG) that its reads would mostly answer 503. Each check is a
 * terminus indicator; a failure's message names the cause in words an operator can act on.
 */
@Injectable()
export class ReadinessChecks {
  private readonly logger = new Logger(ReadinessChecks.name);

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly runner: SubscriptionRunner,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  database(): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.indicators
      .check('database')
      .attempt(() => this.guarded(() => this.dataSource.query('SELECT 1')))
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  migrations(): PromiseLike<HealthIndicatorResult<'migrations'>> {
    return this.indicators
      .check('migrations')
      .attempt(async () => {
        if (await this.guarded(() => this.dataSource.showMigrations())) {
          throw new CheckFailed("some of this build's migrations are not applied");
        }
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  subscriptions(): PromiseLike<HealthIndicatorResult<'subscriptions'>> {
    const maxLag = this.config.readyMaxLag;
    return this.indicators
      .check('subscriptions')
      .attempt(async () => {
        const [statuses, head] = await this.guarded(() =>
          Promise.all([this.runner.status(), this.store.headPosition()]),
        );
        const lags = Object.fromEntries(statuses.map(({ name, checkpoint }) => [name, Math.max(0, head - checkpoint)]));
        const behind = Object.entries(lags).filter(([, lag]) => lag >= maxLag);
        if (behind.length > 0) {
          const named = behind.map(([name, lag]) => `${name} lags ${lag} events`).join(', ');
          throw new CheckFailed(`${named} (READY_MAX_LAG is ${maxLag})`);
        }
        return { lag: lags };
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  /** The driver's message can name hosts, users and paths: it goes to the log, the caller gets a fixed sentence. */
  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.error(
        `Readiness check failed: ${error instanceof Error ? error.message : String(error)}`,
        error instanceof Error ? error.stack : undefined,
      );
      throw new CheckFailed('the database did not answer');
    }
  }
}
