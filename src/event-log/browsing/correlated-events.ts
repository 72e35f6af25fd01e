import { Injectable } from '@nestjs/common';
import type { EventMetadata, RecordedEvent } from '../../event-sourcing/event-store';
import { EventData, EventTypeRegistry } from '../../event-sourcing/event-type-registry';
import { fromDbTime, parseJson, sql } from '../../event-sourcing/typeorm/sql';
import { Transactions } from '../../event-sourcing/typeorm/transactions';
import { PersonalDataVault } from '../../event-sourcing/personal-data/personal-data-vault';

const COLUMNS = 'position, event_id, stream_id, stream_version, type, data, metadata, recorded_at';

/**
 * One correlation's events after a place in the log's order, per engine. The correlation id is the indexed
 * expression of migration 1764150015000, written as there: any other spelling would not use the index.
 */
export const CORRELATED_EVENTS_SQL = {
  sqlite: `SELECT ${COLUMNS} FROM events WHERE json_extract(metadata, '$.correlationId') = ? AND position > ?
    ORDER BY position LIMIT ?`,
  postgres: `SELECT ${COLUMNS}, transaction_id FROM events WHERE (metadata->>'correlationId') = ?
    AND (transaction_id, position) > (?::xid8, ?) ORDER BY transaction_id, position LIMIT ?`,
} as const;

interface Row {
  position: number | string;
  transaction_id?: string;
  event_id: string;
  stream_id: string;
  stream_version: number | string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: unknown;
}

/**
 * Every event of one correlation (a request and everything it caused: checkout, order placed, paid …)
 * across streams, in the log's order, through the correlation id index. Unlike `readAll`, it does not
 * wait for appends still settling on PostgreSQL: it tells a story, it is no feed to checkpoint.
 */
@Injectable()
export class CorrelatedEvents {
  constructor(
    private readonly transactions: Transactions,
    private readonly registry: EventTypeRegistry,
    private readonly vault: PersonalDataVault,
  ) {}

  async read(correlationId: string, afterPosition: number, limit: number): Promise<RecordedEvent[]> {
    const rows =
      this.transactions.engine === 'sqlite'
        ? await this.query(CORRELATED_EVENTS_SQL.sqlite, [correlationId, afterPosition, limit])
        : await this.query(CORRELATED_EVENTS_SQL.postgres, [
            correlationId,
            await this.transactionAt(afterPosition),
            afterPosition,
            limit,
          ]);
    // Opened before upcasting, as the event store does.
    const data = await this.vault.open(
      rows.map((row) => ({ type: row.type, streamId: row.stream_id, data: parseJson<EventData>(row.data) })),
    );
    return rows.map((row, index) => ({
      position: Number(row.position),
      transactionId: Number(row.transaction_id ?? 0),
      eventId: row.event_id,
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version),
      type: row.type,
      event: this.registry.deserialize(row.type, data[index]!),
      metadata: parseJson<EventMetadata>(row.metadata),
      recordedAt: fromDbTime(row.recorded_at),
    }));
  }

  /**
   * The transaction of the event at `position` (PostgreSQL). Where none is stored, 0: the list starts from
   * the beginning, which may repeat events, never skip one.
   */
  private async transactionAt(position: number): Promise<string> {
    const [row] = await this.query('SELECT transaction_id FROM events WHERE position = ?', [position]);
    return row?.transaction_id ?? '0';
  }

  private query(text: string, parameters: unknown[]): Promise<Row[]> {
    return this.transactions.read((manager) => manager.query<Row[]>(sql(this.transactions.engine, text), parameters));
  }
}
