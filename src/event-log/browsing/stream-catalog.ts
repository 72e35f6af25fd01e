import { Injectable } from '@nestjs/common';
import { fromDbTime, sql } from '../../event-sourcing/typeorm/sql';
import { Transactions } from '../../event-sourcing/typeorm/transactions';
import { codePointLength } from '../../http/code-point-length';

/** One stream as the explorer lists it. */
export interface StreamSummary {
  streamId: string;
  category: string;
  version: number;
  firstPosition: number;
  lastPosition: number;
  firstRecordedAt: Date;
  lastRecordedAt: Date;
}

export interface StreamFilter {
  /** Streams of this category (see categoryOf). */
  category?: string;
  /** Streams whose id starts with this. */
  prefix?: string;
  /** The streams of this aggregate id (a lower-case UUID): ids ending in `-<aggregateId>`. */
  aggregateId?: string;
  /** Only streams whose last event comes before this position: the `lastPosition` of a previous page's last. */
  before?: number;
  limit: number;
}

export interface StreamPage {
  streams: StreamSummary[];
  more: boolean;
}

interface Row {
  stream_id: string;
  version: number | string;
  first_position: number | string;
  last_position: number | string;
  first_recorded_at: unknown;
  last_recorded_at: unknown;
}

const AGGREGATE_ID = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The category of a stream id: what precedes the aggregate id (`shopping-cart` of
 * `shopping-cart-<uuid>`), or, for an id that does not end in a UUID, what precedes its last dash.
 */
export function categoryOf(streamId: string): string {
  const aggregate = AGGREGATE_ID.exec(streamId);
  if (aggregate !== null) return streamId.slice(0, aggregate.index);
  const dash = streamId.lastIndexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

/**
 * The streams in the log, newest activity first, summarised from the events table itself (no read model
 * to lag behind or rebuild). Each page groups the matching events, so its cost grows with the log; the
 * filters narrow what is grouped.
 */
@Injectable()
export class StreamCatalog {
  constructor(private readonly transactions: Transactions) {}

  async list({ category, prefix, aggregateId, before, limit }: StreamFilter): Promise<StreamPage> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (category !== undefined) {
      // As categoryOf sees it: `<category>-` and then an aggregate id (36 characters), or a rest without a dash.
      const length = codePointLength(category) + 1;
      const dash =
        this.transactions.engine === 'sqlite'
          ? "instr(substr(stream_id, ?), '-')"
          : "strpos(substr(stream_id, ?), '-')";
      conditions.push(`substr(stream_id, 1, ?) = ? AND (length(stream_id) = ? OR ${dash} = 0)`);
      parameters.push(length, `${category}-`, length + 36, length + 1);
    }
    if (prefix !== undefined) {
      conditions.push('substr(stream_id, 1, ?) = ?');
      parameters.push(codePointLength(prefix), prefix);
    }
    if (aggregateId !== undefined) {
      // A UUID holds neither `%` nor `_`, so LIKE matches it literally.
      conditions.push('stream_id LIKE ?');
      parameters.push(`%-${aggregateId}`);
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const having = before === undefined ? '' : 'HAVING MAX(position) < ?';
    if (before !== undefined) parameters.push(before);
    parameters.push(limit + 1);
    const rows = await this.transactions.read((manager) =>
      manager.query<Row[]>(
        sql(
          this.transactions.engine,
          `SELECT stream_id, MAX(stream_version) AS version, MIN(position) AS first_position,
             MAX(position) AS last_position, MIN(recorded_at) AS first_recorded_at, MAX(recorded_at) AS last_recorded_at
           FROM events ${where} GROUP BY stream_id ${having} ORDER BY last_position DESC LIMIT ?`,
        ),
        parameters,
      ),
    );
    return {
      streams: rows.slice(0, limit).map((row) => ({
        streamId: row.stream_id,
        category: categoryOf(row.stream_id),
        version: Number(row.version),
        firstPosition: Number(row.first_position),
        lastPosition: Number(row.last_position),
        firstRecordedAt: fromDbTime(row.first_recorded_at),
        lastRecordedAt: fromDbTime(row.last_recorded_at),
      })),
      more: rows.length > limit,
    };
  }
}
