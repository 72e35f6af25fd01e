import type { EventSourcedAggregate } from './aggregate-root';

/** A bounded, least-recently-used set of aggregates by stream id, handed out to one user at a time. */
export class RecentAggregates {
  private readonly entries = new Map<string, EventSourcedAggregate>();

  constructor(private readonly capacity: number) {}

  /** Removes and returns the aggregate: whoever takes it owns it until it is kept again. */
  take(streamId: string): EventSourcedAggregate | undefined {
    const aggregate = this.entries.get(streamId);
    this.entries.delete(streamId);
    return aggregate;
  }

  keep(streamId: string, aggregate: EventSourcedAggregate): void {
    if (this.capacity <= 0) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, aggregate);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
