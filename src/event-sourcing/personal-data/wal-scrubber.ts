import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SubscriptionRunner } from '../subscriptions/subscription-runner';
import { Transactions } from '../typeorm/transactions';

/** How often a busy TRUNCATE checkpoint is tried again, and for how long at most. */
const RETRY_MS = 100;
const ATTEMPTS = 600;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SQLite only: after an erasure, makes sure no plaintext copy of the erased data survives in the WAL.
 * `secure_delete` zeroes what read models clear in the database file, but the WAL still holds the page
 * images written before, until a checkpoint truncates it. So once every subscription has handled the
 * erasure event (their read rows cleared, in the same transactions as their checkpoints), the WAL is
 * checkpointed and truncated to zero bytes, retried while other connections keep it busy.
 *
 * In memory only: a crash before the truncation leaves it to SQLite's own checkpoints, which overwrite
 * the WAL from its start as it is reused (see README, "Personal data").
 */
@Injectable()
export class WalScrubber implements OnApplicationShutdown {
  private readonly logger = new Logger(WalScrubber.name);
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly transactions: Transactions,
    private readonly subscriptions: SubscriptionRunner,
  ) {}

  /**
   * Truncates the WAL once every subscription has handled `position`; resolves when done (or given up,
   * with a warning). Jobs run one after another. Nothing to do on PostgreSQL.
   */
  scrubAfter(position: number): Promise<void> {
    if (this.transactions.engine !== 'sqlite') return Promise.resolve();
    this.running = this.running.then(() =>
      this.scrub(position).catch((error: unknown) =>
        this.logger.warn(`The WAL was not truncated after an erasure: ${String(error)}`),
      ),
    );
    return this.running;
  }

  /** A job still waiting is dropped: its erasure is done, only the WAL's old pages wait for reuse. */
  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async scrub(position: number): Promise<void> {
    for (const { name } of await this.subscriptions.status()) await this.handled(name, position);
    for (let attempt = 1; attempt <= ATTEMPTS && !this.stopped; attempt++) {
      const [result] = await this.transactions.read((manager) =>
        manager.query<{ busy: number }[]>('PRAGMA wal_checkpoint(TRUNCATE)'),
      );
      if (result?.busy === 0) return;
      await pause(RETRY_MS);
    }
    this.logger.warn('The WAL stayed busy: it is truncated by a later erasure or overwritten as SQLite reuses it');
  }

  /** Until the subscription is past the position; a paused or failing one is waited for, not skipped. */
  private async handled(name: string, position: number): Promise<void> {
    while (!this.stopped) {
      try {
        return await this.subscriptions.waitFor(name, position);
      } catch {
        await pause(RETRY_MS);
      }
    }
  }
}
