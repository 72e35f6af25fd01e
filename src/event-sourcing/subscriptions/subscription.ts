import type { LogOrder } from '../event-store';
import type { Projection } from './projection';
import type { Relay } from './relay';
import type { Saga } from './saga';

/** A read waiting for the event at a position (consistentWith). */
export interface Waiter {
  event: LogOrder;
  resolve: () => void;
}

export type Handler =
  { kind: 'projection'; projection: Projection } | { kind: 'saga'; saga: Saga } | { kind: 'relay'; relay: Relay };

/** The runner's bookkeeping for one projection or saga. */
export interface Subscription {
  name: string;
  handler: Handler;
  /** The last event handled and stored; undefined until read from the database. */
  checkpoint: LogOrder | undefined;
  /**
   * The position stored as its checkpoint, when known. It trails `checkpoint` after batches that changed
   * nothing, whose move is stored later (`checkpointFlushMs`).
   */
  stored: number | undefined;
  /** When this process last stored its checkpoint (performance.now()). */
  storedAt: number;
  /** A pass is due to store a trailing checkpoint. */
  flush: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  /** A wake-up arrived while a pass was running: run another pass after it. */
  again: boolean;
  paused: boolean;
  waiters: Set<Waiter>;
  failures: number;
  lastError: string | undefined;
  rebuilds: (() => void)[];
}

export interface SubscriptionStatus {
  name: string;
  kind: Handler['kind'];
  checkpoint: number;
  paused: boolean;
  /** Whether this instance is the one processing it (always, on SQLite). */
  leader: boolean;
  /** Why the last pass failed, while it is being retried (projections only; sagas park instead). */
  lastError: string | null;
}
