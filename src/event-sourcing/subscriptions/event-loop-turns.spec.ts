import { describe, expect, it } from '@jest/globals';
import { EventLoopTurns } from './event-loop-turns';

/** Runs synchronously for `ms`, as a batch on better-sqlite3 does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('EventLoopTurns', () => {
  it('lets the event loop run other work between two turns asked for together', async () => {
    const turns = new EventLoopTurns();
    const order: string[] = [];

    await Promise.all([
      turns.next().then(() => {
        order.push('first turn');
        // Due by the time the first turn ends: the loop's next iteration runs it before anything else.
        setTimeout(() => order.push('other work'), 0);
        busyFor(5);
      }),
      turns.next().then(() => order.push('second turn')),
    ]);

    expect(order).toEqual(['first turn', 'other work', 'second turn']);
  });

  it('grants turns in the order they were asked for, a turn asked for later included', async () => {
    const turns = new EventLoopTurns();
    const order: number[] = [];

    await Promise.all([
      turns.next().then(async () => {
        order.push(1);
        await turns.next();
        order.push(3);
      }),
      turns.next().then(() => order.push(2)),
    ]);

    expect(order).toEqual([1, 2, 3]);
  });
});
