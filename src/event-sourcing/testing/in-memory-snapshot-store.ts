import { Snapshot, SnapshotStore } from '../snapshots/snapshot-store';

/** Snapshots in a Map, for specs that run without a database. */
export class InMemorySnapshotStore extends SnapshotStore {
  private readonly snapshots = new Map<string, string>();

  load(streamId: string): Promise<Snapshot | undefined> {
    const stored = this.snapshots.get(streamId);
    return Promise.resolve(stored === undefined ? undefined : (JSON.parse(stored) as Snapshot));
  }

  save(snapshot: Snapshot): Promise<void> {
    const stored = this.snapshots.get(snapshot.streamId);
    if (stored === undefined || (JSON.parse(stored) as Snapshot).version < snapshot.version) {
      this.snapshots.set(snapshot.streamId, JSON.stringify(snapshot));
    }
    return Promise.resolve();
  }
}
