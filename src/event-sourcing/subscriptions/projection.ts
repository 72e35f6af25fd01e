import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store';

/**
 * A read model built from the event log. It owns its tables; the runner hands it every event in
 * global order inside a transaction that also moves its checkpoint, so each event lands exactly once.
 */
export interface Projection {
  /** Applies one event to the read tables; events it does not care about are ignored. */
  apply(event: RecordedEvent, manager: EntityManager): Promise<void>;
  /** Applies consecutive events at once, with the same result as applying them one by one. */
  applyBatch?(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
  /**
   * Whether the projection does anything with the event (the event catalog lists it as a consumer). Without
   * it, the projection counts as consuming every event.
   */
  consumes?(event: RecordedEvent): boolean;
  /** Empties the projection's tables before a rebuild from position 0. */
  clear(manager: EntityManager): Promise<void>;
}

/** Registers a provider as a projection under a stable name (its checkpoint's key). */
export const ProjectionOf = DiscoveryService.createDecorator<{ name: string }>();
