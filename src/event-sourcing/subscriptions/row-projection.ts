import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';
import type { RecordedEvent } from '../event-store';
import { PostgresRows } from '../typeorm/postgres-rows';
import { SqliteRows } from '../typeorm/sqlite-rows';
import type { PostgresUnit, Projection, SqliteUnit } from './projection';

const CHUNK = 400;

/**
 * A projection that keeps one row per key (usually per aggregate). Events are applied a batch at a time:
 * the batch's rows are read, evolved in memory, and written back once each, so catching up costs a few
 * statements per row instead of a few per event. On PostgreSQL the reads and writes are one query each
 * per chunk of rows (a round trip each), or with PostgresRows two statements per batch, the second
 * one storing the checkpoint too; on SQLite they are prepared statements run synchronously.
 */
export abstract class RowProjection<Row extends ObjectLiteral> implements Projection {
  protected abstract readonly entity: EntityTarget<Row>;
  /** The property holding the key (the entity's primary key). */
  protected abstract readonly key: keyof Row & string;
  private sqliteRows: { dataSource: DataSource; rows: SqliteRows<Row> } | undefined;
  private postgresRows: { dataSource: DataSource; rows: PostgresRows<Row> | undefined } | undefined;

  /** The key of the row the event concerns, or undefined when the projection ignores the event. */
  protected abstract keyOf(event: RecordedEvent): string | undefined;

  /**
   * The row after the event, or undefined when nothing changes (including when the row has applied the
   * event already: that makes a second delivery harmless). Must not modify `row`.
   */
  protected abstract evolve(row: Row | undefined, event: RecordedEvent): Row | undefined;

  handles(event: RecordedEvent): boolean {
    return this.keyOf(event) !== undefined;
  }

  apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    return this.applyBatch([event], manager);
  }

  async applyBatch(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const keys = this.keysOf(events);
    if (keys.length === 0) return;
    const rows = new Map<string, Row>();
    for (let start = 0; start < keys.length; start += CHUNK) {
      const where = { [this.key]: In(keys.slice(start, start + CHUNK)) } as FindOptionsWhere<Row>;
      for (const row of await manager.findBy<Row>(this.entity, where)) rows.set(String(row[this.key]), row);
    }
    const written = this.evolveAll(events, rows);
    for (let start = 0; start < written.length; start += CHUNK) {
      await manager.upsert(this.entity, written.slice(start, start + CHUNK), [this.key]);
    }
  }

  applyBatchSqlite(events: readonly RecordedEvent[], { db, dataSource }: SqliteUnit): void {
    if (this.sqliteRows?.dataSource !== dataSource) {
      this.sqliteRows = { dataSource, rows: new SqliteRows(dataSource, this.entity) };
    }
    const table = this.sqliteRows.rows;
    const rows = new Map<string, Row>();
    for (const key of this.keysOf(events)) {
      const row = table.find(db, key);
      if (row !== undefined) rows.set(key, row);
    }
    for (const row of this.evolveAll(events, rows)) table.save(db, row);
  }

  async applyBatchPostgres(events: readonly RecordedEvent[], { client, dataSource, claim }: PostgresUnit) {
    if (this.postgresRows?.dataSource !== dataSource) {
      this.postgresRows = { dataSource, rows: PostgresRows.of(dataSource, this.entity) };
    }
    const table = this.postgresRows.rows;
    if (table === undefined) return false;
    const rows = await table.find(client, this.keysOf(events));
    await table.save(client, this.evolveAll(events, rows), claim);
    return true;
  }

  private keysOf(events: readonly RecordedEvent[]): string[] {
    return [...new Set(events.map((event) => this.keyOf(event)).filter((key) => key !== undefined))];
  }

  /** Evolves `rows` (read for the batch's keys) through the batch; returns the rows that changed. */
  private evolveAll(events: readonly RecordedEvent[], rows: Map<string, Row>): Row[] {
    const changed = new Map<string, Row>();
    for (const event of events) {
      const key = this.keyOf(event);
      if (key === undefined) continue;
      const next = this.evolve(rows.get(key), event);
      if (next === undefined) continue;
      rows.set(key, next);
      changed.set(key, next);
    }
    return [...changed.values()];
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.clear(this.entity);
  }
}
