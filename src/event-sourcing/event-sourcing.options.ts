import type { MasterKeys } from './personal-data/master-keys';

export interface EventSourcingOptions {
  /** How many times a blind (no If-Match) command is re-decided after a concurrent write. */
  commandRetries: number;
  /** How long a read waiting for a position (`consistentWith`) may wait. */
  consistencyWaitMs: number;
  /** How often subscriptions look for events appended by other processes. */
  pollIntervalMs: number;
  /** How long an Idempotency-Key answers repeats with its first result. */
  idempotencyRetentionMs: number;
  /** How many times a saga tries an event's commands before parking the event. */
  sagaAttempts: number;
  /** Pause before a saga's second attempt; it doubles with every further attempt. */
  sagaBackoffMs: number;
  /** Subscriptions that start paused (an operator's switch, e.g. to hold a misbehaving saga). */
  pausedSubscriptions: string[];
  /** Snapshot interval per stream category, overriding the aggregate's own; 0 turns snapshots off. */
  snapshotEvery: Record<string, number>;
  /** How many aggregates each process keeps as last saved, to decide the next command without a read. */
  aggregateCacheSize: number;
  /**
   * How long a checkpoint moved past events that changed nothing may go unstored. Every command wakes every
   * subscription and most have nothing to do for it; storing each such move would cost a write transaction
   * per subscription per command. Left unstored, a crash only replays events they ignore, and other
   * instances (which wait on the stored checkpoint) see the move this much later.
   */
  checkpointFlushMs: number;
  /** Events a subscription reads and applies per transaction while catching up. */
  batchSize: number;
  /**
   * The master key(s) wrapping the data subjects' keys (personal-data/). Without: a random one for the
   * process's lifetime, which suits an in-memory database only.
   */
  masterKeys?: MasterKeys;
}

export const EVENT_SOURCING_OPTIONS = Symbol('EVENT_SOURCING_OPTIONS');
