import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { UnknownEventType, UnstorableEvent, WrongExpectedVersion } from '../event-sourcing.errors';
import { ANY_VERSION, EventStore, IdempotencyKeyTaken, NO_STREAM } from '../event-store';
import { Type } from '@sinclair/typebox';
import { eventData } from '../event-schema';
import { EventType } from '../event-type';
import { describeIdempotencyRecords } from './idempotency-records.contract';

@EventType('contract-test.thing-happened.v1', eventData({ label: Type.String(), payload: Type.Unknown() }))
export class ThingHappened {
  constructor(
    readonly label: string,
    readonly payload: unknown = null,
  ) {}
}

export interface EventStoreUnderTest {
  store: EventStore;
  /** Writes a row behind the store's back, as an older release or another tool might have. */
  insertRawEvent(streamId: string, version: number, type: string, data: object): Promise<void>;
  close(): Promise<void>;
}

const later = (ms: number) => new Date(Date.now() + ms);

/**
 * The behaviour every EventStore implementation owes its callers. Each engine's spec calls this
 * with a factory for a fresh, empty store.
 */
export function describeEventStoreContract(engine: string, open: () => Promise<EventStoreUnderTest>): void {
  describe(`EventStore contract (${engine})`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;
    const stream = () => `contract-${randomUUID()}`;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(() => subject.close());

    describe('append', () => {
      it('creates a stream with "no stream" and numbers its events 1..n', async () => {
        const id = stream();
        const result = await store.append(id, NO_STREAM, [new ThingHappened('a'), new ThingHappened('b')]);
        expect(result.version).toBe(2);
        expect(result.positions).toHaveLength(2);
        expect(result.positions[1]).toBeGreaterThan(result.positions[0]!);
        const events = await store.readStream(id);
        expect(events.map((e) => [e.streamVersion, (e.event as ThingHappened).label])).toEqual([
          [1, 'a'],
          [2, 'b'],
        ]);
        expect(await store.streamVersion(id)).toBe(2);
      });

      it('accepts the right expected version and refuses a wrong one with the actual version', async () => {
        const id = stream();
        await store.append(id, NO_STREAM, [new ThingHappened('a')]);
        await expect(store.append(id, 1, [new ThingHappened('b')])).resolves.toMatchObject({ version: 2 });
        const refused = store.append(id, 1, [new ThingHappened('c')]);
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedVersion);
        await expect(refused).rejects.toMatchObject({ streamId: id, expectedVersion: 1, actualVersion: 2 });
        expect(await store.streamVersion(id)).toBe(2);
      });

      it('refuses "no stream" when the stream exists', async () => {
        const id = stream();
        await store.append(id, NO_STREAM, [new ThingHappened('a')]);
        await expect(store.append(id, NO_STREAM, [new ThingHappened('b')])).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          actualVersion: 1,
        });
      });

      it('refuses a numeric expected version on a stream that does not exist', async () => {
        await expect(store.append(stream(), 3, [new ThingHappened('a')])).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          actualVersion: 0,
        });
      });

      it('appends anywhere with "any"', async () => {
        const id = stream();
        await store.append(id, ANY_VERSION, [new ThingHappened('a')]);
        await expect(store.append(id, ANY_VERSION, [new ThingHappened('b')])).resolves.toMatchObject({ version: 2 });
      });

      it('lets exactly one of two racing appends with the same expected version win', async () => {
        const id = stream();
        await store.append(id, NO_STREAM, [new ThingHappened('start')]);
        const results = await Promise.allSettled(
          ['left', 'right'].map((label) => store.append(id, 1, [new ThingHappened(label)])),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.filter((r) => r.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
        expect(await store.streamVersion(id)).toBe(2);
      });

      it('keeps versions gapless when many writers race on one stream', async () => {
        const id = stream();
        await store.append(id, NO_STREAM, [new ThingHappened('start')]);
        const writers = Array.from({ length: 20 }, async (_, writer) => {
          for (let tries = 0; ; tries += 1) {
            const version = await store.streamVersion(id);
            try {
              return await store.append(id, version, [new ThingHappened(`w${writer}`)]);
            } catch (error) {
              if (!(error instanceof WrongExpectedVersion) || tries > 100) throw error;
            }
          }
        });
        await Promise.all(writers);
        const versions = (await store.readStream(id)).map((e) => e.streamVersion);
        expect(versions).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      });

      it('is atomic: when the idempotency record fails, none of the events stay', async () => {
        const key = randomUUID();
        const idempotency = { scope: 'client:anonymous', key, fingerprint: 'first', expiresAt: later(60_000) };
        await store.append(stream(), NO_STREAM, [new ThingHappened('first')], { idempotency });
        const head = await store.headPosition();
        const id = stream();
        await expect(
          store.append(id, NO_STREAM, [new ThingHappened('x'), new ThingHappened('y'), new ThingHappened('z')], {
            idempotency: { ...idempotency, fingerprint: 'second' },
          }),
        ).rejects.toBeInstanceOf(IdempotencyKeyTaken);
        expect(await store.readStream(id)).toEqual([]);
        expect(await store.headPosition()).toBe(head);
      });

      it('stores nothing when one event of a batch cannot be serialised', async () => {
        const id = stream();
        const head = await store.headPosition();
        await expect(
          store.append(id, NO_STREAM, [new ThingHappened('fine'), new ThingHappened('broken', { n: 1n })]),
        ).rejects.toThrow();
        expect(await store.readStream(id)).toEqual([]);
        expect(await store.headPosition()).toBe(head);
      });

      it('refuses U+0000 in data or metadata on every engine, storing nothing', async () => {
        const id = stream();
        await expect(store.append(id, NO_STREAM, [new ThingHappened('nul\u0000')])).rejects.toBeInstanceOf(
          UnstorableEvent,
        );
        await expect(
          store.append(id, NO_STREAM, [new ThingHappened('fine')], { metadata: { actor: 'a\u0000b' } }),
        ).rejects.toBeInstanceOf(UnstorableEvent);
        expect(await store.readStream(id)).toEqual([]);
      });

      it('refuses lone UTF-16 surrogates in data or metadata on every engine, and keeps paired ones', async () => {
        const id = stream();
        for (const lone of ['ab\ud800cd', '\udfff', 'x\ud83d']) {
          await expect(store.append(id, NO_STREAM, [new ThingHappened(lone)])).rejects.toBeInstanceOf(UnstorableEvent);
          await expect(
            store.append(id, NO_STREAM, [new ThingHappened('fine')], { metadata: { actor: lone } }),
          ).rejects.toBeInstanceOf(UnstorableEvent);
        }
        expect(await store.readStream(id)).toEqual([]);
        await store.append(id, NO_STREAM, [new ThingHappened('💥 \\ud800 as text')]);
        expect((await store.readStream(id)).map((recorded) => recorded.event)).toEqual([
          new ThingHappened('💥 \\ud800 as text'),
        ]);
      });

      it('tells listeners about each committed append, and not about refused ones', async () => {
        const seen: number[][] = [];
        const stop = store.onAppended((result) => seen.push(result.positions));
        const id = stream();
        const ok = await store.append(id, NO_STREAM, [new ThingHappened('a')]);
        await expect(store.append(id, NO_STREAM, [new ThingHappened('b')])).rejects.toThrow();
        stop();
        await store.append(id, 1, [new ThingHappened('c')]);
        expect(seen).toEqual([ok.positions]);
      });
    });

    describe('reading', () => {
      it('reads a stream between versions', async () => {
        const id = stream();
        await store.append(
          id,
          NO_STREAM,
          ['1', '2', '3', '4', '5'].map((label) => new ThingHappened(label)),
        );
        const middle = await store.readStream(id, { fromVersion: 2, toVersion: 4 });
        expect(middle.map((e) => (e.event as ThingHappened).label)).toEqual(['2', '3', '4']);
        expect(await store.readStream(stream())).toEqual([]);
      });

      // The times read back are exactly the stored ones: a store that kept microseconds would answer an
      // instant read from an event with the version before it.
      it('finds the version a stream had at an instant, to the millisecond', async () => {
        const id = stream();
        const before = new Date(Date.now() - 1);
        await store.append(id, NO_STREAM, [new ThingHappened('1')]);
        await store.append(id, 1, [new ThingHappened('2'), new ThingHappened('3')]);
        const [first, second] = await store.readStream(id);
        expect(await store.streamVersionAt(id, before)).toBe(0);
        expect(await store.streamVersionAt(id, first!.recordedAt)).toBe(
          first!.recordedAt.getTime() === second!.recordedAt.getTime() ? 3 : 1,
        );
        expect(await store.streamVersionAt(id, new Date(second!.recordedAt.getTime() - 1))).toBeLessThanOrEqual(1);
        expect(await store.streamVersionAt(id, second!.recordedAt)).toBe(3);
        expect(await store.streamVersionAt(stream(), new Date())).toBe(0);
      });

      it('reads every event once, in position order, across streams and pages', async () => {
        const after = await store.headPosition();
        const ids = [stream(), stream(), stream()];
        for (let round = 0; round < 4; round += 1) {
          for (const id of ids) await store.append(id, ANY_VERSION, [new ThingHappened(`${id}:${round}`)]);
        }
        const pages: string[] = [];
        let position = after;
        for (;;) {
          const page = await store.readAll(position, 5);
          if (page.length === 0) break;
          for (const event of page) {
            expect(event.position).toBeGreaterThan(position);
            position = event.position;
            pages.push((event.event as ThingHappened).label);
          }
        }
        expect(pages).toHaveLength(12);
        expect(new Set(pages).size).toBe(12);
        expect(pages.slice(0, 3)).toEqual(ids.map((id) => `${id}:0`));
        expect(await store.headPosition()).toBe(position);
      });

      it('gives back real instances of the event class with metadata and unicode intact', async () => {
        const id = stream();
        const metadata = { correlationId: 'c-1', causationId: 'z-2', actor: 'zoë', nested: { list: [1, 'two'] } };
        const payload = { text: 'Grüße, 世界 👋 \u0001 "quoted" \\ back\n\t', emoji: '🛒', rtl: 'שלום', astral: '𝄞' };
        await store.append(id, NO_STREAM, [new ThingHappened('unicode ✓', payload)], { metadata });
        const [recorded] = await store.readStream(id);
        expect(recorded!.event).toBeInstanceOf(ThingHappened);
        expect(recorded!.event).toEqual(new ThingHappened('unicode ✓', payload));
        expect(recorded!.type).toBe('contract-test.thing-happened.v1');
        expect(recorded!.metadata).toEqual(metadata);
        expect(recorded!.recordedAt).toBeInstanceOf(Date);
        expect(Math.abs(recorded!.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
        const [fromAll] = await store.readAll(recorded!.position - 1, 1);
        expect(fromAll).toEqual(recorded);
      });

      it('reads one event by its position, and nothing where none is stored', async () => {
        const id = stream();
        const { positions } = await store.append(id, NO_STREAM, [new ThingHappened('one')]);
        const [recorded] = await store.readStream(id);
        expect(await store.readEvent(positions[0]!)).toEqual(recorded);
        expect(await store.readEvent(Number.MAX_SAFE_INTEGER)).toBeUndefined();
      });

      it('round-trips a 1 MB payload', async () => {
        const id = stream();
        const big = 'x€'.repeat(350_000);
        await store.append(id, NO_STREAM, [new ThingHappened('big', { big })]);
        const [recorded] = await store.readStream(id);
        expect((recorded!.event as ThingHappened).payload).toEqual({ big });
      });

      it('names the stored type it cannot map to a class', async () => {
        const id = stream();
        await subject.insertRawEvent(id, 1, 'contract-test.never-declared.v1', { a: 1 });
        const read = store.readStream(id);
        await expect(read).rejects.toBeInstanceOf(UnknownEventType);
        await expect(read).rejects.toThrow('contract-test.never-declared.v1');
      });
    });

    describeIdempotencyRecords(() => store);
  });
}
