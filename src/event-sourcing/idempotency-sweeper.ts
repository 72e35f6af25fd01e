import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from './event-store';

const SWEEP_EVERY_MS = 5 * 60_000;
/** Small enough that a batch holds SQLite's write queue for a few milliseconds only. */
const BATCH = 500;
/** A sweep stops after this many rows; the next one carries on, so a backlog never hogs the database. */
const MAX_BATCHES = 200;

/**
 * Deletes Idempotency-Key records once they have expired, at start and every few minutes. An expired
 * record already answers nothing; this only keeps the table from growing forever. Each batch is its own
 * short transaction, so commands get in between. On PostgreSQL every instance sweeps, which is harmless:
 * a batch skips the rows another instance is deleting.
 */
@Injectable()
export class IdempotencySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdempotencySweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly store: EventStore) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweepInBackground(), SWEEP_EVERY_MS).unref();
    this.sweepInBackground();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes the records expired by `now`, a batch at a time; resolves with how many went. */
  async sweep(now = new Date()): Promise<number> {
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES && !this.stopped; batch += 1) {
      const count = await this.store.deleteExpiredIdempotencyRecords(now, BATCH);
      deleted += count;
      if (count < BATCH) break;
    }
    return deleted;
  }

  private sweepInBackground(): void {
    if (this.running !== undefined) return;
    this.running = this.sweep()
      .then((deleted) => {
        if (deleted > 0) this.logger.log(`Deleted ${deleted} expired idempotency keys`);
      })
      // The database may be away for a while; the next sweep tries again.
      .catch((error: unknown) => this.logger.warn(`Sweeping expired idempotency keys failed: ${String(error)}`))
      .finally(() => (this.running = undefined));
  }
}
