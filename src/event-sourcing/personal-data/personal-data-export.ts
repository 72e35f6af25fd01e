import { Injectable } from '@nestjs/common';
import { fromDbTime, parseJson, sql } from '../typeorm/sql';
import { Transactions } from '../typeorm/transactions';
import { envelopeOf } from './personal-data-envelope';
import { PersonalDataVault } from './personal-data-vault';

/** One event's personal fields, opened, and where the event is. */
export interface PersonalDataRecord {
  streamId: string;
  version: number;
  position: number;
  /** The event's type as stored. */
  type: string;
  recordedAt: Date;
  fields: Record<string, unknown>;
}

interface Row {
  position: number | string;
  stream_id: string;
  stream_version: number | string;
  type: string;
  data: unknown;
  recorded_at: unknown;
}

/**
 * Every personal field the event log holds for a subject (GDPR articles 15 and 20), found through the
 * index the append keeps (`personal_data_events`), opened with the subject's key.
 */
@Injectable()
export class PersonalDataExport {
  constructor(
    private readonly transactions: Transactions,
    private readonly vault: PersonalDataVault,
  ) {}

  /** Oldest first; empty when nothing is held (never sealed, or erased). */
  async of(subjectId: string): Promise<PersonalDataRecord[]> {
    const rows = await this.transactions.read((manager) =>
      manager.query<Row[]>(
        sql(
          this.transactions.engine,
          `SELECT e.position, e.stream_id, e.stream_version, e.type, e.data, e.recorded_at
           FROM personal_data_events p JOIN events e ON e.position = p.position
           WHERE p.subject_id = ? ORDER BY e.position`,
        ),
        [subjectId],
      ),
    );
    const stored = rows.map((row) => ({
      type: row.type,
      streamId: row.stream_id,
      data: parseJson<Record<string, unknown>>(row.data),
    }));
    const opened = await this.vault.open(stored);
    return rows.flatMap((row, index) => {
      const envelope = envelopeOf(stored[index]!.data);
      const data = opened[index]!;
      if (envelope === undefined || data.erased === true) return [];
      const fields = Object.fromEntries(envelope.fields.filter((field) => field in data).map((f) => [f, data[f]]));
      return [
        {
          streamId: row.stream_id,
          version: Number(row.stream_version),
          position: Number(row.position),
          type: row.type,
          recordedAt: fromDbTime(row.recorded_at),
          fields,
        },
      ];
    });
  }
}
