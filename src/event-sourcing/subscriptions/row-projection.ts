import { EntityManager, EntityTarget, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';
import type { RecordedEvent } from '../event-store';
import type { Projection } from './projection';

const CHUNK = 400;

/**
 * A projection that keeps one row per key (usually per aggregate). Events are applied a batch at a time:
 * the batch's rows are read in one query, evolved in memory, and written back once each with one upsert,
 * so catching up costs a few statements per batch instead of a few per event.
 */
export abstract class RowProjection<Row extends ObjectLiteral> implements Projection {
  protected abstract readonly entity: EntityTarget<Row>;
  /** The property holding the key (the entity's primary key). */
  protected abstract readonly key: keyof Row & string;

  /** The key of the row the event concerns, or undefined when the projection ignores the event. */
  protected abstract keyOf(event: RecordedEvent): string | undefined;

  /**
   * The row after the event, or undefined when nothing changes (including when the row has applied the
   * event already: that makes a second delivery harmless). Must not modify `row`.
   */
  protected abstract evolve(row: Row | undefined, event: RecordedEvent): Row | undefined;

  consumes(event: RecordedEvent): boolean {
    return this.keyOf(event) !== undefined;
  }

  apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    return this.applyBatch([event], manager);
  }

  async applyBatch(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const keys = [...new Set(events.map((event) => this.keyOf(event)).filter((key) => key !== undefined))];
    if (keys.length === 0) return;
    const rows = new Map<string, Row>();
    for (let start = 0; start < keys.length; start += CHUNK) {
      const where = { [this.key]: In(keys.slice(start, start + CHUNK)) } as FindOptionsWhere<Row>;
      for (const row of await manager.findBy<Row>(this.entity, where)) rows.set(String(row[this.key]), row);
    }
    const changed = new Map<string, Row>();
    for (const event of events) {
      const key = this.keyOf(event);
      if (key === undefined) continue;
      const next = this.evolve(rows.get(key), event);
      if (next === undefined) continue;
      rows.set(key, next);
      changed.set(key, next);
    }
    const written = [...changed.values()];
    for (let start = 0; start < written.length; start += CHUNK) {
      await manager.upsert(this.entity, written.slice(start, start + CHUNK), [this.key]);
    }
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.clear(this.entity);
  }
}
