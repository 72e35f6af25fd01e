import { DiscoveryService } from '@nestjs/core';
import type { RecordedEvent } from '../event-store';

/**
 * Hands every event, in the log's order, to something outside the database (a message broker). Unlike a
 * projection it runs outside any transaction, so a slow receiver holds up no command; the runner stores
 * the checkpoint only after `deliver` resolved, so an event is never skipped. After a crash the events
 * since the checkpoint are delivered again: the receiver must drop repeats (by event id).
 */
export interface Relay {
  /** False when the relay has nowhere to deliver (not configured): the runner then leaves it out. */
  readonly enabled: boolean;
  /**
   * Whether `deliver` sends anything for the event. A batch with none only moves the checkpoint, stored
   * later with another move (as for projections).
   */
  handles?(event: RecordedEvent): boolean;
  /** Resolves once the receiver holds the event for good; throws to have it, and what follows, retried. */
  deliver(event: RecordedEvent): Promise<void>;
}

/** Registers a provider as a relay under a stable name (its checkpoint's key). */
export const RelayOf = DiscoveryService.createDecorator<{ name: string }>();
