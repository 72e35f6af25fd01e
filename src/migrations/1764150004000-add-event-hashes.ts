import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH } from '../event-sourcing/event-hash';
import { Engine, sql } from '../event-sourcing/typeorm/sql';
import { StoredEventRow, storedEventHash } from '../event-sourcing/typeorm/stored-event-hash';

const BATCH = 500;

/** Stored for a row that cannot be read back (only possible on SQLite); never equal to a computed hash. */
const UNREADABLE = 'unreadable';

/**
 * Chains every event to its predecessor in its stream with a SHA-256 `hash` (see event-hash.ts), so a
 * direct change to a stored event is found by the integrity check. Existing events are hashed here the
 * way the append would have hashed them, in stream and version order, a batch at a time.
 *
 * PostgreSQL gets `hash NOT NULL` (one scan, no rewrite). SQLite can add NOT NULL to an existing column
 * only by rebuilding the table (copying every event under the write lock, re-creating its indexes and
 * triggers), so there the column stays nullable: the append always writes it, and the integrity check
 * reports a row without one as a break.
 */
export class AddEventHashes1764150004000 implements MigrationInterface {
  name = 'AddEventHashes1764150004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('ALTER TABLE events ADD COLUMN hash text');
      // The append-only trigger refuses the backfill's updates; this transaction restores it.
      await queryRunner.query('DROP TRIGGER events_append_only ON events');
      await backfill(queryRunner, 'postgres');
      await queryRunner.query(`
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_are_append_only()`);
      await queryRunner.query('ALTER TABLE events ALTER COLUMN hash SET NOT NULL');
      return;
    }
    await queryRunner.query('ALTER TABLE events ADD COLUMN hash TEXT');
    await queryRunner.query('DROP TRIGGER events_no_update');
    await backfill(queryRunner, 'sqlite');
    await queryRunner.query(`
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE events DROP COLUMN hash');
  }
}

/**
 * Hashes every stream from its first version on, reading by (stream_id, stream_version) key so only one
 * batch is in memory, and writes each batch back in one statement.
 */
async function backfill(queryRunner: QueryRunner, engine: Engine): Promise<void> {
  let last: { streamId: string; version: number; hash: string } | undefined;
  for (;;) {
    const rows = (await queryRunner.query(
      sql(
        engine,
        `SELECT position, stream_id, stream_version, type, data, metadata, recorded_at FROM events
         ${last === undefined ? '' : 'WHERE (stream_id, stream_version) > (?, ?)'}
         ORDER BY stream_id, stream_version LIMIT ${BATCH}`,
      ),
      last === undefined ? [] : [last.streamId, last.version],
    )) as (StoredEventRow & { position: number | string })[];
    if (rows.length === 0) return;
    const parameters = rows.flatMap((row) => {
      const previous = row.stream_id === last?.streamId ? last.hash : GENESIS_HASH;
      last = { streamId: row.stream_id, version: Number(row.stream_version), hash: hashOrMarker(previous, row) };
      return [Number(row.position), last.hash];
    });
    await queryRunner.query(
      sql(
        engine,
        `UPDATE events SET hash = v.column2
         FROM (VALUES ${rows.map(() => '(CAST(? AS BIGINT), ?)').join(', ')}) AS v
         WHERE events.position = v.column1`,
      ),
      parameters,
    );
    if (rows.length < BATCH) return;
  }
}

/**
 * A row that was unreadable before the chain existed must not stop the service from starting; it gets
 * a hash that never verifies, so the integrity check points at it.
 */
function hashOrMarker(previous: string, row: StoredEventRow): string {
  try {
    return storedEventHash(previous, row);
  } catch {
    return UNREADABLE;
  }
}
