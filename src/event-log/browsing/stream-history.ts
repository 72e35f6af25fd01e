import { Injectable } from '@nestjs/common';
import { StreamNotFound } from '../../event-sourcing/event-sourcing.errors';
import type { EventMetadata } from '../../event-sourcing/event-store';
import { fromDbTime, parseJson, sql } from '../../event-sourcing/typeorm/sql';
import { Transactions } from '../../event-sourcing/typeorm/transactions';
import { PersonalDataVault } from '../../event-sourcing/personal-data/personal-data-vault';

/** An event exactly as stored, with the hash that chains it to its predecessor. */
export interface StoredEventView {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: string;
  /** Null only on SQLite, for a row written without one (which the integrity check reports). */
  hash: string | null;
}

export interface StoredEventPage {
  events: StoredEventView[];
  more: boolean;
}

interface Row {
  position: number | string;
  event_id: string;
  stream_id: string;
  stream_version: number | string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: unknown;
  hash: string | null;
}

/**
 * Any stream's events, oldest first, as stored: the type and data the hash covers, not upcast, so an
 * event whose type no class declares any more is still shown. Sealed personal fields are shown opened (or
 * erased): the hash covers their sealed form, which callers never see.
 */
@Injectable()
export class StreamHistory {
  constructor(
    private readonly transactions: Transactions,
    private readonly vault: PersonalDataVault,
  ) {}

  async read(streamId: string, afterVersion: number, limit: number): Promise<StoredEventPage> {
    const rows = await this.transactions.read((manager) =>
      manager.query<Row[]>(
        sql(
          this.transactions.engine,
          `SELECT position, event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash
           FROM events WHERE stream_id = ? AND stream_version > ? ORDER BY stream_version LIMIT ?`,
        ),
        [streamId, afterVersion, limit + 1],
      ),
    );
    if (rows.length === 0 && (afterVersion === 0 || !(await this.exists(streamId)))) {
      throw new StreamNotFound(streamId);
    }
    const page = rows.slice(0, limit);
    const data = await this.vault.open(
      page.map((row) => ({
        type: row.type,
        streamId: row.stream_id,
        data: parseJson<Record<string, unknown>>(row.data),
      })),
    );
    return { events: page.map((row, index) => toView(row, data[index]!)), more: rows.length > limit };
  }

  private async exists(streamId: string): Promise<boolean> {
    const rows = await this.transactions.read((manager) =>
      manager.query<unknown[]>(sql(this.transactions.engine, 'SELECT 1 FROM events WHERE stream_id = ? LIMIT 1'), [
        streamId,
      ]),
    );
    return rows.length > 0;
  }
}

function toView(row: Row, data: Record<string, unknown>): StoredEventView {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    version: Number(row.stream_version),
    type: row.type,
    data,
    metadata: parseJson<EventMetadata>(row.metadata),
    recordedAt: fromDbTime(row.recorded_at).toISOString(),
    hash: row.hash,
  };
}
