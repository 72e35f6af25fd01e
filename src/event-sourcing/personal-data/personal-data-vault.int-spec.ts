import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { IntegrityVerifier } from '../../integrity/integrity-verifier';
import { ANY_VERSION, NO_STREAM, RecordedEvent } from '../event-store';
import { EventTypeRegistry } from '../event-type-registry';
import { CounterIncremented, CounterStarted } from '../testing/counter.fixture';
import { ContactRecorded, contactOf } from '../testing/personal-data.fixture';
import { createTestDatabase, testEngine } from '../testing/test-database';
import { ClusterCoordinator } from '../typeorm/cluster-coordinator';
import { parseJson, sql } from '../typeorm/sql';
import { Transactions } from '../typeorm/transactions';
import { TypeOrmEventStore } from '../typeorm/typeorm-event-store';
import { MasterKeyMismatch, MasterKeys } from './master-keys';
import { PersonalDataExport } from './personal-data-export';
import { PersonalDataVault } from './personal-data-vault';
import { isErased } from './personal-data';

const engine = testEngine();

describe(`personal data in the event log (${engine})`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let transactions: Transactions;
  let coordinator: ClusterCoordinator;
  let masterKeys: MasterKeys;
  let vault: PersonalDataVault;
  let store: TypeOrmEventStore;

  const rawData = async (): Promise<string> => {
    const rows = await database.dataSource.query<{ data: unknown }[]>('SELECT data FROM events ORDER BY position');
    return rows.map((row) => (typeof row.data === 'string' ? row.data : JSON.stringify(row.data))).join('\n');
  };
  const pause = () => new Promise((resolve) => setTimeout(resolve, 10));
  const waitingForKeyRow = async () => {
    const [row] = await database.dataSource.query<{ waiting: number }[]>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
       WHERE wait_event_type = 'Lock' AND query LIKE '%personal_data_keys%FOR SHARE%'`,
    );
    return row!.waiting > 0;
  };
  const contact = (event: RecordedEvent) => event.event as ContactRecorded & { erased?: boolean };

  beforeEach(async () => {
    database = await createTestDatabase();
    transactions = new Transactions(database.dataSource);
    coordinator = new ClusterCoordinator(transactions);
    masterKeys = MasterKeys.ephemeral();
    vault = new PersonalDataVault(transactions, masterKeys);
    store = new TypeOrmEventStore(transactions, new EventTypeRegistry(), coordinator, vault);
    await store.append('contact-alice', NO_STREAM, [contactOf('alice')]);
    await store.append('contact-bob', NO_STREAM, [contactOf('bob'), new CounterStarted(3)]);
  });

  afterEach(async () => {
    await coordinator.onApplicationShutdown();
    await database.drop();
  });

  it('stores the declared fields sealed, the key id beside them, and nothing else changed', async () => {
    const stored = await rawData();
    for (const plaintext of ['alice@mail.example', 'alice Lane 7', 'bob@mail.example', 'Ghent']) {
      expect(stored).not.toContain(plaintext);
    }
    const [row] = await database.dataSource.query<{ data: unknown }[]>(
      sql(engine, 'SELECT data FROM events WHERE stream_id = ?'),
      ['contact-alice'],
    );
    expect(parseJson(row!.data)).toEqual({
      customerId: 'alice',
      note: 'first contact',
      personalData: { keyId: expect.any(String), fields: ['email', 'address'], ciphertext: expect.any(String) },
    });
  });

  it('opens them on every read: stream, log, single event, export', async () => {
    const [alice] = await store.readStream('contact-alice');
    expect(alice!.event).toBeInstanceOf(ContactRecorded);
    expect(alice!.event).toEqual(contactOf('alice'));
    const all = await store.readAll(0, 10);
    expect(all.map((event) => event.event)).toEqual([contactOf('alice'), contactOf('bob'), new CounterStarted(3)]);
    expect((await store.readEvent(alice!.position))!.event).toEqual(contactOf('alice'));
    expect(await new PersonalDataExport(transactions, vault).of('alice')).toEqual([
      {
        streamId: 'contact-alice',
        version: 1,
        position: alice!.position,
        type: 'personal-data-test.contact-recorded.v1',
        recordedAt: alice!.recordedAt,
        fields: { email: 'alice@mail.example', address: { street: 'alice Lane 7', city: 'Ghent' } },
      },
    ]);
  });

  it('reads an erased subject as null with erased: true, others untouched, and the chain still verifies', async () => {
    expect(await transactions.write(() => vault.destroyKeys('alice'))).toBe(1);
    const [alice] = await store.readStream('contact-alice');
    expect(alice!.event).toEqual({
      customerId: 'alice',
      email: null,
      address: null,
      note: 'first contact',
      erased: true,
    });
    expect((await store.readAll(0, 10)).map((event) => isErased(event.event))).toEqual([true, false, false]);
    expect((await store.readStream('contact-bob'))[0]!.event).toEqual(contactOf('bob'));
    expect(await new PersonalDataExport(transactions, vault).of('alice')).toEqual([]);
    expect(await transactions.write(() => vault.destroyKeys('alice'))).toBe(0);
    expect(await new IntegrityVerifier(transactions).verify({})).toMatchObject({ ok: true, eventsChecked: 3 });
  });

  it('seals under a new key after an erasure, also when the erasure commits while the append waits', async () => {
    const keyIdOf = async (stream: string, version: number) => {
      const [row] = await database.dataSource.query<{ data: unknown }[]>(
        sql(engine, 'SELECT data FROM events WHERE stream_id = ? AND stream_version = ?'),
        [stream, version],
      );
      return parseJson<{ personalData: { keyId: string } }>(row!.data).personalData.keyId;
    };
    let destroyed!: () => void;
    let commit!: () => void;
    const keyGone = new Promise<void>((resolve) => (destroyed = resolve));
    const erasure = transactions.write(async () => {
      await vault.destroyKeys('alice');
      destroyed();
      await new Promise<void>((resolve) => (commit = resolve));
    });
    await keyGone;
    // On PostgreSQL the key row is read FOR SHARE: the append waits for the erasure instead of sealing under
    // its key. The erasure commits once the append waits on that lock, or has finished without waiting.
    let settled = false;
    const append = store.append('contact-alice', ANY_VERSION, [contactOf('alice', 'after erasure')]);
    void append.finally(() => (settled = true)).catch(() => undefined);
    while (engine === 'postgres' && !settled && !(await waitingForKeyRow())) await pause();
    commit();
    await erasure;
    await append;
    expect(await keyIdOf('contact-alice', 2)).not.toEqual(await keyIdOf('contact-alice', 1));
    const events = (await store.readStream('contact-alice')).map(contact);
    expect(events.map((event) => [event.email, event.erased])).toEqual([
      [null, true],
      ['alice@mail.example', undefined],
    ]);
  });

  it('keeps the hot path: no transaction and no key query for events without personal data', async () => {
    const write = jest.spyOn(transactions, 'write');
    const seal = jest.spyOn(vault, 'seal');
    const queries = jest.spyOn(database.dataSource.manager, 'query');
    const keyQueries = () => queries.mock.calls.filter(([text]) => text.includes('personal_data_keys')).length;
    const { positions } = await store.append('counter-1', NO_STREAM, [
      new CounterStarted(5),
      new CounterIncremented(1),
    ]);
    expect(write).not.toHaveBeenCalled();
    expect(seal).not.toHaveBeenCalled();
    await store.readStream('counter-1');
    await store.readEvent(positions[0]!);
    expect(keyQueries()).toBe(0);
    // One key query per page that holds envelopes.
    await store.readStream('contact-alice');
    expect(keyQueries()).toBe(1);
    expect(await store.readAll(0, 10)).toHaveLength(5);
    expect(keyQueries()).toBe(2);
  });

  it('refuses a master key that wrapped none of the stored keys, and never opens with it', async () => {
    const other = new PersonalDataVault(transactions, MasterKeys.ephemeral());
    await expect(other.checkMasterKey()).rejects.toThrow(MasterKeyMismatch);
    const confused = new TypeOrmEventStore(transactions, new EventTypeRegistry(), coordinator, other);
    await expect(confused.readStream('contact-alice')).rejects.toThrow(/PERSONAL_DATA_MASTER_KEY does not match/);
    await expect(vault.checkMasterKey()).resolves.toBeUndefined();
  });
});
