import { Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store';
import { fromDbTime, sql, toDbTime } from './sql';
import { Transactions } from './transactions';

export interface ParkedEvent {
  subscription: string;
  position: number;
  eventId: string;
  type: string;
  error: string;
  attempts: number;
  parkedAt: Date;
}

const SAVE_CHECKPOINT_SQL = `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`;

/**
 * PostgreSQL: a checkpoint write that is also the claim. It stores `position` ($2) for `name` ($1) only
 * while the stored checkpoint is still `expected` ($3), where this instance left it, and returns a row only
 * then. Its row lock makes a second writer wait for the first to end, and PostgreSQL then evaluates the
 * condition again on the row the first one committed, so of two instances that both believe they lead,
 * one writes and the other finds the checkpoint moved: what `claim` and `saveCheckpoint` do in two round
 * trips inside a transaction. At 0 the row may not exist yet; above 0 it must (as `claim` expects).
 */
export function claimedCheckpointSql(expected: number): string {
  return expected === 0
    ? `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES ($1::text, $2::bigint, now())
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
       WHERE subscription_checkpoints.position = $3::bigint RETURNING 1`
    : `UPDATE subscription_checkpoints SET position = $2::bigint, updated_at = now()
       WHERE name = $1::text AND position = $3::bigint RETURNING 1`;
}

/** Where a batch moves a subscription's checkpoint, and where this instance last stored it. */
export interface CheckpointClaim {
  name: string;
  expected: number;
  position: number;
}

export class CheckpointMoved extends Error {
  constructor(name: string, expected: number, stored: number) {
    super(`Checkpoint of ${name} is at ${stored}, not at ${expected}: another instance processed it`);
    this.name = 'CheckpointMoved';
  }
}

/** Checkpoints and parked events of subscriptions, in the same database as the events. */
@Injectable()
export class SubscriptionStore {
  private saveStatement: Statement | undefined;

  constructor(private readonly transactions: Transactions) {}

  private sql(text: string): string {
    return sql(this.transactions.engine, text);
  }

  async checkpoint(name: string): Promise<number> {
    const rows = await this.transactions.read((manager) =>
      manager.query<{ position: number | string }[]>(
        this.sql('SELECT position FROM subscription_checkpoints WHERE name = ?'),
        [name],
      ),
    );
    return Number(rows[0]?.position ?? 0);
  }

  /**
   * Locks the subscription's checkpoint row for this transaction and checks it is still where this
   * process left it; if another instance moved it (a lost leadership), the batch must not be applied.
   */
  async claim(manager: EntityManager, name: string, expected: number): Promise<void> {
    const lock = this.transactions.engine === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await manager.query<{ position: number | string }[]>(
      this.sql(`SELECT position FROM subscription_checkpoints WHERE name = ?${lock}`),
      [name],
    );
    const stored = Number(rows[0]?.position ?? 0);
    if (stored !== expected) throw new CheckpointMoved(name, expected, stored);
  }

  /**
   * Moves the checkpoint from where this instance stored it (`expected`) to `position`, or throws
   * CheckpointMoved when another instance moved it meanwhile. On PostgreSQL one statement, no transaction.
   */
  async moveCheckpoint(claim: CheckpointClaim): Promise<void> {
    if (this.transactions.engine === 'postgres') {
      await this.transactions.onConnection((client) => this.moveCheckpointPostgres(client, claim));
      return;
    }
    await this.transactions.write(async (manager) => {
      await this.claim(manager, claim.name, claim.expected);
      await this.saveCheckpoint(manager, claim.name, claim.position);
    });
  }

  /** PostgreSQL: moveCheckpoint as a named prepared statement on `client`. */
  private async moveCheckpointPostgres(
    client: PoolClient,
    { name, expected, position }: CheckpointClaim,
  ): Promise<void> {
    const { rowCount } = await client.query({
      name: `ledgerline:checkpoint-claimed-${expected === 0 ? 'first' : 'next'}`,
      text: claimedCheckpointSql(expected),
      values: [name, position, expected],
    });
    if (rowCount === 0) throw new CheckpointMoved(name, expected, await this.checkpoint(name));
  }

  async saveCheckpoint(manager: EntityManager, name: string, position: number): Promise<void> {
    await manager.query(this.sql(SAVE_CHECKPOINT_SQL), [
      name,
      position,
      toDbTime(this.transactions.engine, new Date()),
    ]);
  }

  /** SQLite only: saveCheckpoint inside a transaction held on the driver's own connection. */
  saveCheckpointSqlite(db: Database, name: string, position: number): void {
    if (this.saveStatement?.database !== db) this.saveStatement = db.prepare(SAVE_CHECKPOINT_SQL);
    this.saveStatement.run(name, position, toDbTime('sqlite', new Date()));
  }

  async park(
    manager: EntityManager,
    name: string,
    event: RecordedEvent,
    error: string,
    attempts: number,
  ): Promise<void> {
    await manager.query(
      this.sql(
        `INSERT INTO parked_events (subscription, position, event_id, type, error, attempts, parked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (subscription, position) DO UPDATE SET error = excluded.error, attempts = excluded.attempts`,
      ),
      [
        name,
        event.position,
        event.eventId,
        event.type,
        error.slice(0, 2000),
        attempts,
        toDbTime(this.transactions.engine, new Date()),
      ],
    );
  }

  async unpark(name: string, position: number): Promise<void> {
    await this.transactions.write((manager) =>
      manager.query(this.sql('DELETE FROM parked_events WHERE subscription = ? AND position = ?'), [name, position]),
    );
  }

  /** How many events each subscription has parked; subscriptions with none are absent. */
  async parkedCounts(): Promise<Map<string, number>> {
    const rows = await this.transactions.read((manager) =>
      manager.query<{ subscription: string; parked: number | string }[]>(
        'SELECT subscription, COUNT(*) AS parked FROM parked_events GROUP BY subscription',
      ),
    );
    return new Map(rows.map((row) => [String(row.subscription), Number(row.parked)]));
  }

  async parked(name?: string): Promise<ParkedEvent[]> {
    const rows = await this.transactions.read((manager) =>
      manager.query<Record<string, unknown>[]>(
        this.sql(
          `SELECT subscription, position, event_id, type, error, attempts, parked_at FROM parked_events
           ${name === undefined ? '' : 'WHERE subscription = ?'} ORDER BY subscription, position`,
        ),
        name === undefined ? [] : [name],
      ),
    );
    return rows.map((row) => ({
      subscription: String(row.subscription),
      position: Number(row.position),
      eventId: String(row.event_id),
      type: String(row.type),
      error: String(row.error),
      attempts: Number(row.attempts),
      parkedAt: fromDbTime(row.parked_at),
    }));
  }
}
