/** The latest remembered state of one stream, so loading it replays only the events after it. */
export interface Snapshot {
  streamId: string;
  /** The stream version the state is at. */
  version: number;
  /** The aggregate's snapshot schema when taken; a snapshot of another schema is ignored. */
  schemaVersion: number;
  state: unknown;
}

/**
 * Where snapshots live: a cache beside the event log, never a source of truth. Losing one costs only a
 * longer replay, so writing one may fail without failing the command that triggered it.
 */
export abstract class SnapshotStore {
  abstract load(streamId: string): Promise<Snapshot | undefined>;
  /** Keeps the newer of the stored and the given snapshot. */
  abstract save(snapshot: Snapshot): Promise<void>;
}
