import { describe, expect, it } from '@jest/globals';
import { CounterIncremented } from '../testing/counter.fixture';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { SharedPages } from './shared-pages';

const PAGE = 2;

/** A log of `events` increments, and the reads the pages sent to it. */
async function logOf(events: number): Promise<{ store: InMemoryEventStore; reads: number[] }> {
  const store = new InMemoryEventStore();
  for (let by = 1; by <= events; by += 1) await store.append(`counter-${by}`, 'any', [new CounterIncremented(by)]);
  const reads: number[] = [];
  const readAll = store.readAll.bind(store);
  store.readAll = (after, limit) => {
    reads.push(after);
    return readAll(after, limit);
  };
  return { store, reads };
}

describe('SharedPages', () => {
  it('reads a full page once for readers in step, and a short one again (it may grow)', async () => {
    const { store, reads } = await logOf(3);
    const pages = new SharedPages(store, PAGE, () => 0);

    const [first, second] = await Promise.all([pages.after(0), pages.after(0)]);
    await pages.after(0);
    await pages.after(2);
    await pages.after(2);

    expect(first).toBe(second);
    expect(first.map((event) => event.position)).toEqual([1, 2]);
    expect(reads).toEqual([0, 2, 2]);
  });

  it('keeps a page while a reader may still ask for it', async () => {
    const { store, reads } = await logOf(6);
    let lowest = 0;
    const pages = new SharedPages(store, PAGE, () => lowest);

    await pages.after(0); // the leading reader
    await pages.after(2);
    lowest = 2; // the one behind has read the page after 0, and will want the page after 2
    await pages.after(4);
    await pages.after(2);

    expect(reads).toEqual([0, 2, 4]);
  });

  it('drops a page once every reader has passed it, instead of keeping it for nobody', async () => {
    const { store, reads } = await logOf(6);
    let lowest = 0;
    const pages = new SharedPages(store, PAGE, () => lowest);

    await pages.after(0);
    lowest = 2;
    await pages.after(2);
    // A reader that starts over (a rebuild) reads the page again rather than finding one kept all along.
    lowest = 0;
    await pages.after(0);

    expect(reads).toEqual([0, 2, 0]);
  });
});
