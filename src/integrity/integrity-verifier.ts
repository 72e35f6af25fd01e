import { Injectable } from '@nestjs/common';
import { GENESIS_HASH } from '../event-sourcing/event-hash';
import { sql } from '../event-sourcing/typeorm/sql';
import { StoredEventRow, storedEventHash } from '../event-sourcing/typeorm/stored-event-hash';
import { Transactions } from '../event-sourcing/typeorm/transactions';

export interface BrokenEvent {
  streamId: string;
  /** The stored version of the first event that does not fit its stream's chain. */
  version: number;
  position: number;
  reason: string;
}

export interface IntegrityReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  /** The first break in (stream id, version) order; the check stops there. */
  firstBroken: BrokenEvent | null;
}

export interface VerifyOptions {
  /** Check only these streams. */
  streamIds?: readonly string[];
  /** Events read per query; memory use is bounded by one page. */
  pageSize?: number;
  /** Called after each page with the counts so far (a full scan only). */
  onPage?: (progress: { streamsChecked: number; eventsChecked: number }) => Promise<void>;
  /** Stops a full scan between pages, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

type Row = StoredEventRow & { position: number | string; hash: string | null };

/** Where the walk through one stream has got to. */
interface StreamState {
  streamId: string;
  version: number;
  position: number;
  hash: string;
}

const DEFAULT_PAGE_SIZE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Walks the event log stream by stream, in version order, and recomputes each event's hash from its
 * stored fields and its predecessor's hash. Any direct change to a stored event's type, data, metadata,
 * time, version or hash breaks its stream's chain there; so does a missing version, and an event whose
 * position does not follow its predecessor's (moved in the global order). What the chain cannot show, a
 * rewritten and re-hashed stream tail or a truncated one, needs an anchor kept elsewhere (see README).
 */
@Injectable()
export class IntegrityVerifier {
  constructor(private readonly transactions: Transactions) {}

  async verify({
    streamIds,
    pageSize = DEFAULT_PAGE_SIZE,
    onPage,
    signal,
  }: VerifyOptions = {}): Promise<IntegrityReport> {
    if (streamIds === undefined) return this.walk(undefined, pageSize, onPage, signal);
    let report: IntegrityReport = { ok: true, streamsChecked: 0, eventsChecked: 0, firstBroken: null };
    for (const streamId of streamIds) {
      const stream = await this.walk(streamId, pageSize);
      report = {
        ...stream,
        streamsChecked: report.streamsChecked + stream.streamsChecked,
        eventsChecked: report.eventsChecked + stream.eventsChecked,
      };
      if (!stream.ok) break;
    }
    return report;
  }

  /**
   * The streams an operator means by `id`: the stream of that id, else, for a bare aggregate id (a UUID),
   * every stream of that aggregate (`shopping-cart-<id>`, `order-<id>`, …). Empty when there is none.
   */
  async streamsNamed(id: string): Promise<string[]> {
    const engine = this.transactions.engine;
    const named = (condition: string, value: string) =>
      this.transactions.read((manager) =>
        manager.query<{ stream_id: string }[]>(
          sql(engine, `SELECT DISTINCT stream_id FROM events WHERE ${condition} ORDER BY stream_id`),
          [value],
        ),
      );
    let rows = await named('stream_id = ?', id);
    // No index serves a suffix match, but it runs only for a bare id, on an operator's request.
    if (rows.length === 0 && UUID.test(id)) rows = await named('stream_id LIKE ?', `%-${id.toLowerCase()}`);
    return rows.map((row) => row.stream_id);
  }

  private async walk(
    streamId: string | undefined,
    pageSize: number,
    onPage?: VerifyOptions['onPage'],
    signal?: AbortSignal,
  ): Promise<IntegrityReport> {
    let streamsChecked = 0;
    let eventsChecked = 0;
    let state: StreamState | undefined;
    for (;;) {
      signal?.throwIfAborted();
      // One page per read, so on SQLite other work gets its turn between pages.
      const page = await this.transactions.read((manager) =>
        manager.query<Row[]>(...this.pageQuery(streamId, state, pageSize)),
      );
      for (const row of page) {
        if (row.stream_id !== state?.streamId) {
          streamsChecked += 1;
          state = { streamId: row.stream_id, version: 0, position: 0, hash: GENESIS_HASH };
        }
        eventsChecked += 1;
        const reason = breakIn(row, state);
        const position = Number(row.position);
        if (reason !== undefined) {
          const firstBroken = { streamId: row.stream_id, version: Number(row.stream_version), position, reason };
          return { ok: false, streamsChecked, eventsChecked, firstBroken };
        }
        state = { streamId: row.stream_id, version: state.version + 1, position, hash: row.hash! };
      }
      if (page.length < pageSize) return { ok: true, streamsChecked, eventsChecked, firstBroken: null };
      await onPage?.({ streamsChecked, eventsChecked });
    }
  }

  /** The next page after the last event checked, by the (stream_id, stream_version) unique index. */
  private pageQuery(streamId: string | undefined, after: StreamState | undefined, limit: number): [string, unknown[]] {
    const columns = 'position, stream_id, stream_version, type, data, metadata, recorded_at, hash';
    const engine = this.transactions.engine;
    if (streamId !== undefined) {
      return [
        sql(
          engine,
          `SELECT ${columns} FROM events WHERE stream_id = ? AND stream_version > ? ORDER BY stream_version LIMIT ?`,
        ),
        [streamId, after?.version ?? 0, limit],
      ];
    }
    if (after === undefined) {
      return [sql(engine, `SELECT ${columns} FROM events ORDER BY stream_id, stream_version LIMIT ?`), [limit]];
    }
    return [
      sql(
        engine,
        `SELECT ${columns} FROM events WHERE (stream_id, stream_version) > (?, ?)
         ORDER BY stream_id, stream_version LIMIT ?`,
      ),
      [after.streamId, after.version, limit],
    ];
  }
}

/** Why this row does not continue its stream's chain, or undefined when it does. */
function breakIn(row: Row, previous: StreamState): string | undefined {
  const expected = previous.version + 1;
  if (Number(row.stream_version) !== expected) return `expected version ${expected} (a version is missing or moved)`;
  if (Number(row.position) <= previous.position) return "its position is not after its predecessor's";
  let hash: string;
  try {
    hash = storedEventHash(previous.hash, row);
  } catch (error) {
    return `the stored event cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (row.hash === null) return 'it has no hash';
  return row.hash === hash ? undefined : 'its hash does not match its content and its predecessor';
}
