import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH } from '../event-sourcing/event-hash';
import { NO_STREAM } from '../event-sourcing/event-store';
import { EventTypeRegistry } from '../event-sourcing/event-type-registry';
import { CounterIncremented, CounterStarted } from '../event-sourcing/testing/counter.fixture';
import { createTestDatabase, testEngine } from '../event-sourcing/testing/test-database';
import { ClusterCoordinator } from '../event-sourcing/typeorm/cluster-coordinator';
import { fromDbTime, parseJson, sql } from '../event-sourcing/typeorm/sql';
import { StoredEventRow, storedEventHash } from '../event-sourcing/typeorm/stored-event-hash';
import { Transactions } from '../event-sourcing/typeorm/transactions';
import { TypeOrmEventStore } from '../event-sourcing/typeorm/typeorm-event-store';
import { IntegrityVerifier } from './integrity-verifier';

const engine = testEngine();
const [A, B, C] = ['counter-a', 'counter-b', 'counter-c'];
const PAGE_SIZES = [2, 500];
const text = (json: unknown) => (typeof json === 'string' ? json : JSON.stringify(json));

/**
 * Where the first break must be reported: a stored version of stream B and that row's position; and
 * how many of B's events are checked up to it (fewer than the version when one was deleted).
 */
type Expected = { version: number; position: number; checked?: number; reason?: RegExp };
type Tamper = (at: (version: number) => number) => Promise<Expected>;

describe(`the integrity check (${engine})`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let coordinator: ClusterCoordinator;
  let verifier: IntegrityVerifier;
  /** Positions of each stream's events, by version. */
  let positions: Record<string, number[]>;
  const inB = (version: number) => positions[B]![version - 1]!;

  const query = <T = unknown>(text: string, parameters: unknown[] = []) =>
    database.dataSource.query<T>(sql(engine, text), parameters);
  const rowAt = async (position: number) =>
    (await query<(StoredEventRow & { hash: string })[]>('SELECT * FROM events WHERE position = ?', [position]))[0]!;
  const dropAppendOnlyTriggers = async () => {
    if (engine === 'postgres') return void (await query('DROP TRIGGER events_append_only ON events'));
    await query('DROP TRIGGER events_no_update');
    await query('DROP TRIGGER events_no_delete');
  };
  const insertRow = (row: StoredEventRow, hash: string | null) =>
    query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        row.stream_id,
        row.stream_version,
        row.type,
        text(row.data),
        text(row.metadata),
        row.recorded_at,
        hash,
      ],
    );

  beforeEach(async () => {
    database = await createTestDatabase();
    const transactions = new Transactions(database.dataSource);
    coordinator = new ClusterCoordinator(transactions);
    const store = new TypeOrmEventStore(transactions, new EventTypeRegistry(), coordinator);
    verifier = new IntegrityVerifier(transactions);
    positions = { [A]: [], [B]: [], [C]: [] };
    const append = async (stream: string, ...events: object[]) => {
      const version = positions[stream]!.length;
      const metadata = { correlationId: `c-${stream}`, actor: 'zoë', nested: { list: [1, 'two'], b: true, a: null } };
      const result = await store.append(stream, version === 0 ? NO_STREAM : version, events, { metadata });
      positions[stream]!.push(...result.positions);
    };
    // Interleaved, in batches, so streams and positions cross page boundaries.
    await append(A, new CounterStarted(100));
    await append(B, new CounterStarted(100), new CounterIncremented(1));
    await append(A, new CounterIncremented(2), new CounterIncremented(3), new CounterIncremented(4));
    await append(C, new CounterStarted(10), new CounterIncremented(5), new CounterIncremented(6));
    await append(B, new CounterIncremented(7), new CounterIncremented(8));
    await append(A, new CounterIncremented(9));
  });
  afterEach(async () => {
    await coordinator.onApplicationShutdown();
    await database.drop();
  });

  it.each(PAGE_SIZES)('finds every chain intact, reading %i events a page', async (pageSize) => {
    const intact = (streamsChecked: number, eventsChecked: number) => ({
      ok: true,
      streamsChecked,
      eventsChecked,
      firstBroken: null,
    });
    expect(await verifier.verify({ pageSize })).toEqual(intact(3, 12));
    expect(await verifier.verify({ streamIds: [B], pageSize })).toEqual(intact(1, 4));
    expect(await verifier.verify({ streamIds: ['counter-unknown'], pageSize })).toEqual(intact(0, 0));
  });

  const tampers: [string, Tamper, ...('sqlite' | 'postgres')[]][] = [
    [
      'changed data',
      async (at) => {
        await query('UPDATE events SET data = ? WHERE position = ?', [JSON.stringify({ by: 800 }), at(3)]);
        return { version: 3, position: at(3) };
      },
    ],
    [
      'changed metadata',
      async (at) => {
        await query('UPDATE events SET metadata = ? WHERE position = ?', ['{"correlationId":"forged"}', at(2)]);
        return { version: 2, position: at(2) };
      },
    ],
    [
      'a changed type',
      async (at) => {
        await query('UPDATE events SET type = ? WHERE position = ?', ['counter-test.started.v1', at(3)]);
        return { version: 3, position: at(3) };
      },
    ],
    [
      'a recorded time one millisecond later',
      async (at) => {
        const recordedAt = new Date(fromDbTime((await rowAt(at(1))).recorded_at).getTime() + 1);
        await query('UPDATE events SET recorded_at = ? WHERE position = ?', [recordedAt.toISOString(), at(1)]);
        return { version: 1, position: at(1) };
      },
    ],
    [
      'a replaced hash',
      async (at) => {
        await query('UPDATE events SET hash = ? WHERE position = ?', [GENESIS_HASH.replace(/0$/, '1'), at(4)]);
        return { version: 4, position: at(4) };
      },
    ],
    [
      'two swapped versions',
      async (at) => {
        await query('UPDATE events SET stream_version = -1 WHERE position = ?', [at(2)]);
        await query('UPDATE events SET stream_version = 2 WHERE position = ?', [at(3)]);
        await query('UPDATE events SET stream_version = 3 WHERE position = ?', [at(2)]);
        return { version: 2, position: at(3) };
      },
    ],
    [
      'a deleted middle event (a gap in versions)',
      async (at) => {
        await query('DELETE FROM events WHERE position = ?', [at(2)]);
        return { version: 3, position: at(3), checked: 2, reason: /expected version 2/ };
      },
    ],
    [
      'a deleted first event',
      async (at) => {
        await query('DELETE FROM events WHERE position = ?', [at(1)]);
        return { version: 2, position: at(2), checked: 1, reason: /expected version 1/ };
      },
    ],
    [
      'an event moved in the global order (deleted and inserted again as it was)',
      async (at) => {
        const row = await rowAt(at(2));
        await query('DELETE FROM events WHERE position = ?', [at(2)]);
        await insertRow(row, row.hash);
        return { version: 3, position: at(3), reason: /position/ };
      },
    ],
    [
      'a forged event appended without the chain',
      async () => {
        const forged = { stream_id: B, stream_version: 5, type: 'counter-test.incremented.v1', data: { by: 1 } };
        const row = { ...forged, metadata: {}, recorded_at: new Date().toISOString() };
        await insertRow(row, storedEventHash(GENESIS_HASH, row));
        const [{ position }] = await query<[{ position: number | string }]>(
          'SELECT position FROM events WHERE stream_id = ? AND stream_version = 5',
          [B],
        );
        return { version: 5, position: Number(position) };
      },
    ],
    [
      'data that is no longer JSON',
      async (at) => {
        await query('UPDATE events SET data = ? WHERE position = ?', ['{"by": 8', at(4)]);
        return { version: 4, position: at(4), reason: /cannot be read/ };
      },
      'sqlite',
    ],
    [
      'a removed hash (the column is nullable on SQLite)',
      async (at) => {
        await query('UPDATE events SET hash = NULL WHERE position = ?', [at(2)]);
        return { version: 2, position: at(2), reason: /no hash/ };
      },
      'sqlite',
    ],
  ];

  it.each(tampers.filter(([, , ...engines]) => engines.length === 0 || engines.includes(engine)))(
    'reports %s at the first broken event, and only in its stream',
    async (_name, tamper) => {
      await dropAppendOnlyTriggers();
      const { version, position, checked = version, reason = /hash does not match/ } = await tamper(inB);
      for (const pageSize of PAGE_SIZES) {
        const report = await verifier.verify({ pageSize });
        expect(report).toEqual({
          ok: false,
          streamsChecked: 2,
          eventsChecked: positions[A]!.length + checked,
          firstBroken: { streamId: B, version, position, reason: expect.stringMatching(reason) },
        });
        expect(await verifier.verify({ streamIds: [B], pageSize })).toMatchObject({
          ok: false,
          eventsChecked: checked,
        });
        expect(await verifier.verify({ streamIds: [C], pageSize })).toMatchObject({ ok: true, eventsChecked: 3 });
      }
    },
  );

  it('reports the first of several breaks, in stream and version order', async () => {
    await dropAppendOnlyTriggers();
    await query('UPDATE events SET data = ? WHERE position IN (?, ?)', ['{"by":0}', positions[C]![0], inB(4)]);
    expect((await verifier.verify()).firstBroken).toMatchObject({ streamId: B, version: 4, position: inB(4) });
  });

  it('does not count a rewrite that keeps the same JSON value (key order, spacing) as a change', async () => {
    await dropAppendOnlyTriggers();
    const reordered = Object.fromEntries(Object.entries(parseJson<object>((await rowAt(inB(2))).metadata)).reverse());
    await query('UPDATE events SET metadata = ? WHERE position = ?', [JSON.stringify(reordered, null, 2), inB(2)]);
    expect(await verifier.verify()).toMatchObject({ ok: true, eventsChecked: 12 });
  });

  it('cannot see a stream tail rewritten with recomputed hashes: that needs an anchor kept elsewhere', async () => {
    await dropAppendOnlyTriggers();
    const [third, fourth] = [await rowAt(inB(3)), await rowAt(inB(4))];
    const hash = storedEventHash(third.hash, { ...fourth, data: { by: 800 } });
    await query('UPDATE events SET data = ?, hash = ? WHERE position = ?', ['{"by":800}', hash, inB(4)]);
    expect(await verifier.verify()).toMatchObject({ ok: true });
    expect((await rowAt(inB(4))).hash).not.toBe(fourth.hash);
  });
});
