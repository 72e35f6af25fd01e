import { Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
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
