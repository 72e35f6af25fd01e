/**
 * Reads of the log on PostgreSQL, in its settled order.
 *
 * Positions come from a sequence, and appends commit in any order, so position order is not a safe
 * reading order: a reader that passed position 12 while 11 was still uncommitted would never see 11.
 * Each event also stores the id of the transaction that appended it (xid8, `transaction_id`), and the log
 * is read in `(transaction_id, position)` order, only below `pg_snapshot_xmin` of the reading statement's
 * snapshot: every transaction with a smaller id has finished, and every transaction still to commit has a
 * larger one, so nothing can appear behind what a reader has read. Filtering on xmin alone while ordering
 * by position would not do: a transaction can take its id before another and its position after it.
 *
 * The price: an event is readable only once every transaction that took its id earlier has finished. A
 * reader asking right after a commit may find events committed but not settled yet; it waits a little
 * for them (an open transaction normally ends within milliseconds), so a client reads its own writes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a read waits for committed events behind an open transaction before answering without them. */
const SETTLE_WAIT_MS = 2000;
const SETTLE_POLL_MS = 2;

const HORIZON = 'horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)';

/**
 * Events after the one at $1, in the log's order, with `settled` telling the events readable now from those
 * behind an open transaction (always the tail). A position with no event (0, or one taken by an append
 * that failed) starts just before the first settled event with a higher position: that may repeat events
 * a client saw, never skip one it has not.
 */
export function readAllSql(columns: string): string {
  return `WITH ${HORIZON},
    after AS MATERIALIZED (
      (SELECT transaction_id, position FROM events WHERE position = $1)
      UNION ALL
      (SELECT transaction_id, position - 1 FROM events
        WHERE position > $1 AND transaction_id < (SELECT xmin FROM horizon)
        ORDER BY transaction_id, position LIMIT 1)
      UNION ALL
      (SELECT xmin, 0 FROM horizon)
      LIMIT 1)
    SELECT ${columns}, transaction_id < (SELECT xmin FROM horizon) AS settled,
      (SELECT xmin FROM horizon) AS horizon
    FROM events
    WHERE (transaction_id, position) > ((SELECT transaction_id FROM after), (SELECT position FROM after))
    ORDER BY transaction_id, position
    LIMIT $2`;
}

/** The transaction of the last event in the log's order, the last settled event, and the horizon. */
export const HEAD_SQL = `WITH ${HORIZON}
  SELECT
    (SELECT transaction_id FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1) AS newest,
    (SELECT position FROM events WHERE transaction_id < (SELECT xmin FROM horizon)
      ORDER BY transaction_id DESC, position DESC LIMIT 1) AS settled,
    (SELECT xmin FROM horizon) AS horizon`;

/**
 * What one read saw (xid8 values as the driver gives them): `horizon`, the oldest transaction still open
 * (events of lower ones are settled), and `newest`, the transaction of the last committed event it saw.
 */
export interface Sighting {
  horizon: string;
  newest: string;
}

/**
 * Runs `read` until every event it saw committed the first time has settled, or the wait is over; then
 * answers what the last read found settled. Events committed after the first read are not waited for:
 * under steady appends there always are some.
 */
export async function untilSettled<T>(read: () => Promise<{ value: T; seen: Sighting | undefined }>): Promise<T> {
  const deadline = Date.now() + SETTLE_WAIT_MS;
  let awaited: bigint | undefined;
  for (;;) {
    const { value, seen } = await read();
    awaited ??= seen === undefined ? -1n : BigInt(seen.newest);
    if (seen === undefined || BigInt(seen.horizon) > awaited || Date.now() >= deadline) return value;
    await sleep(SETTLE_POLL_MS);
  }
}
