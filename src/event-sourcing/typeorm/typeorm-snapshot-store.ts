import { Injectable } from '@nestjs/common';
import { Snapshot, SnapshotStore } from '../snapshots/snapshot-store';
import { parseJson, sql, toDbTime } from './sql';
import { Transactions } from './transactions';

/** One row per stream in `snapshots`, replaced only by a snapshot of a later version. */
@Injectable()
export class TypeOrmSnapshotStore extends SnapshotStore {
  constructor(private readonly transactions: Transactions) {
    super();
  }

  async load(streamId: string): Promise<Snapshot | undefined> {
    // Prepared: every load of an aggregate with a snapshot policy asks, whether or not there is one.
    const [row] = await this.transactions.queryPrepared<{
      version: number | string;
      schema_version: number;
      state: unknown;
    }>('ledgerline-snapshot', 'SELECT version, schema_version, state FROM snapshots WHERE stream_id = ?', [streamId]);
    if (row === undefined) return undefined;
    return {
      streamId,
      version: Number(row.version),
      schemaVersion: Number(row.schema_version),
      state: parseJson(row.state),
    };
  }

  async save(snapshot: Snapshot): Promise<void> {
    const engine = this.transactions.engine;
    await this.transactions.write((manager) =>
      manager.query(
        sql(
          engine,
          `INSERT INTO snapshots (stream_id, version, schema_version, state, taken_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, schema_version = excluded.schema_version,
             state = excluded.state, taken_at = excluded.taken_at
           WHERE snapshots.version < excluded.version`,
        ),
        [
          snapshot.streamId,
          snapshot.version,
          snapshot.schemaVersion,
          JSON.stringify(snapshot.state),
          toDbTime(engine, new Date()),
        ],
      ),
    );
  }
}
