/**
 * Turns of the event loop, handed out one per loop iteration, in the order they were asked for.
 *
 * better-sqlite3 answers synchronously, so on SQLite a subscription's batch runs from start to end without
 * the event loop reading a socket. Woken together by one append, every subscription took its turn in the
 * same iteration, and a request that arrived meanwhile (typically the client's read of what it has just
 * written) waited for all of them. One turn per iteration lets such a request in after the first batch.
 */
export class EventLoopTurns {
  private readonly waiting: (() => void)[] = [];

  /** Resolves in a later iteration of the event loop than any turn granted before it. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length === 1) setImmediate(this.grant);
    });
  }

  // An immediate queued while immediates run waits for the next iteration, after its poll phase.
  private readonly grant = (): void => {
    this.waiting.shift()!();
    if (this.waiting.length > 0) setImmediate(this.grant);
  };
}
