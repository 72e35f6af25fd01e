import { DiscoveryService } from '@nestjs/core';
import type { Database } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store';
import type { CheckpointClaim } from '../typeorm/subscription-store';

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
   * SQLite only: the same as applyBatch, synchronously on the driver's own connection, inside a transaction
   * the runner holds. Saves TypeORM's per-statement cost on the path every command wakes.
   */
  applyBatchSqlite?(events: readonly RecordedEvent[], unit: SqliteUnit): void;
  /**
   * PostgreSQL only: the same as applyBatch, with no transaction around it, so it must store its rows and
   * `unit.claim` in one statement (PostgresRows.save does) and throw CheckpointMoved, having written
   * nothing, when the claim fails. Resolves false, having done nothing, when it cannot (the runner then
   * uses applyBatch in a transaction).
   */
  applyBatchPostgres?(events: readonly RecordedEvent[], unit: PostgresUnit): Promise<boolean>;
  /**
   * Whether the event can change the read tables. When no event of a batch can, the runner only moves the
   * checkpoint, and stores that move later, together with a later one; the event catalog lists the
   * projection as a consumer of the events it handles. Without it, the projection handles every event.
   */
  handles?(event: RecordedEvent): boolean;
  /** Empties the projection's tables before a rebuild from position 0. */
  clear(manager: EntityManager): Promise<void>;
}

/** SQLite's connection inside an open transaction, and the DataSource that describes its tables. */
export interface SqliteUnit {
  db: Database;
  dataSource: DataSource;
}

/** A pooled PostgreSQL connection outside any transaction, and the checkpoint move a batch must store. */
export interface PostgresUnit {
  client: PoolClient;
  dataSource: DataSource;
  claim: CheckpointClaim;
}

/** Registers a provider as a projection under a stable name (its checkpoint's key). */
export const ProjectionOf = DiscoveryService.createDecorator<{ name: string }>();
