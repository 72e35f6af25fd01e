import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sql, toDbTime } from '../typeorm/sql';
import { Transactions } from '../typeorm/transactions';
import { personalDataOf } from './personal-data';
import { DataKey, envelopeOf, openFields, sealFields, subjectOf } from './personal-data-envelope';
import { MasterKeyMismatch, MasterKeys, WrappedKey } from './master-keys';

type EventData = Record<string, unknown>;

/** A stored event's data on its way to a reader. */
export interface StoredData {
  type: string;
  streamId: string;
  data: EventData;
}

interface KeyRow {
  key_id: string;
  subject_id: string;
  wrapped_key: string;
  master_fingerprint: string;
}

const KEY_COLUMNS = 'key_id, subject_id, wrapped_key, master_fingerprint';

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

function wrapped(row: KeyRow): WrappedKey {
  return {
    keyId: String(row.key_id),
    subjectId: row.subject_id,
    wrappedKey: row.wrapped_key,
    masterFingerprint: row.master_fingerprint,
  };
}

/**
 * The data keys of data subjects (`personal_data_keys`), and the sealing and opening of the personal
 * fields of events with them. Unwrapped keys live for one call only: another instance may destroy a key
 * at any time, and a key cached here would go on serving plaintext it no longer may.
 */
@Injectable()
export class PersonalDataVault {
  constructor(
    private readonly transactions: Transactions,
    private readonly masterKeys: MasterKeys,
  ) {}

  /** True when any of the events declares personal data (a property lookup each: the hot path stays cheap). */
  static anyPersonal(events: readonly object[]): boolean {
    return events.some((event) => personalDataOf(event) !== undefined);
  }

  /**
   * The stored rows with the declared fields of each event sealed under its subject's key, created if the
   * subject has none. Must run inside the append's unit of work: on PostgreSQL the key row is read FOR
   * SHARE, so an erasure of the subject waits for this append (and then destroys its key too), or this
   * append waits for the erasure and creates a new key.
   */
  async seal(
    streamId: string,
    events: readonly object[],
    rows: readonly { type: string; data: string }[],
  ): Promise<{ rows: { type: string; data: string }[]; subjects: (string | undefined)[] }> {
    const declarations = events.map((event) => personalDataOf(event));
    const parsed = rows.map((row, index) => (declarations[index] ? (JSON.parse(row.data) as EventData) : undefined));
    const subjects = parsed.map((data, index) => data && subjectOf(data, declarations[index]!));
    const keys = await this.keysForWriting([...new Set(subjects.filter((s): s is string => s !== undefined))]);
    const sealed = rows.map((row, index) => {
      const declaration = declarations[index];
      if (declaration === undefined) return row;
      const data = sealFields(parsed[index]!, declaration, keys.get(subjects[index]!)!, row.type, streamId);
      return { type: row.type, data: JSON.stringify(data) };
    });
    return { rows: sealed, subjects };
  }

  /** Notes which appended events hold whose personal data, in the append's unit of work (for the export). */
  async recordHolders(subjects: readonly (string | undefined)[], positions: readonly number[]): Promise<void> {
    const entries = subjects.flatMap((subject, index) => (subject === undefined ? [] : [[subject, positions[index]]]));
    if (entries.length === 0) return;
    await this.transactions.write((manager) =>
      this.query(
        manager,
        `INSERT INTO personal_data_events (subject_id, position) VALUES ${entries.map(() => '(?, ?)').join(', ')}`,
        entries.flat(),
      ),
    );
  }

  /**
   * The data of stored events as appended: envelopes opened, or, where the key was destroyed, the sealed
   * fields `null` and `erased: true`. One key query for rows with envelopes, none for rows without.
   */
  async open(rows: readonly StoredData[]): Promise<EventData[]> {
    const keyIds = new Set<string>();
    for (const row of rows) {
      const envelope = envelopeOf(row.data);
      if (envelope !== undefined) keyIds.add(envelope.keyId);
    }
    if (keyIds.size === 0) return rows.map((row) => row.data);
    const found = await this.transactions.read((manager) =>
      this.query<KeyRow>(
        manager,
        `SELECT ${KEY_COLUMNS} FROM personal_data_keys WHERE key_id IN (${placeholders(keyIds.size)})`,
        [...keyIds],
      ),
    );
    const keys = new Map(found.map((row) => [String(row.key_id), this.unwrap(row)]));
    return rows.map((row) => {
      const envelope = envelopeOf(row.data);
      return envelope ? openFields(row.data, keys.get(envelope.keyId), row.type, row.streamId) : row.data;
    });
  }

  /**
   * Destroys the subject's key (and its export index) in the caller's unit of work; how many keys went.
   * Locks the key row first on PostgreSQL, so an append sealing under it finishes before, or starts after.
   */
  async destroyKeys(subjectId: string): Promise<number> {
    return this.transactions.write(async (manager) => {
      const lock = this.transactions.engine === 'postgres' ? ' FOR UPDATE' : '';
      const held = await this.query(manager, `SELECT key_id FROM personal_data_keys WHERE subject_id = ?${lock}`, [
        subjectId,
      ]);
      if (held.length === 0) return 0;
      await this.query(manager, 'DELETE FROM personal_data_keys WHERE subject_id = ?', [subjectId]);
      await this.query(manager, 'DELETE FROM personal_data_events WHERE subject_id = ?', [subjectId]);
      return held.length;
    });
  }

  /**
   * Refuses a master key that wrapped none of the stored keys (and was not given as the previous one):
   * with it nothing could be read, and new keys would be wrapped under a second master key.
   */
  async checkMasterKey(): Promise<void> {
    const fingerprints = this.masterKeys.fingerprints;
    const [other] = await this.transactions.read((manager) =>
      this.query<{ master_fingerprint: string }>(
        manager,
        `SELECT master_fingerprint FROM personal_data_keys
         WHERE master_fingerprint NOT IN (${placeholders(fingerprints.length)}) LIMIT 1`,
        fingerprints,
      ),
    );
    if (other !== undefined) throw new MasterKeyMismatch(other.master_fingerprint, fingerprints);
  }

  /** The subjects' keys, created for those without one, in the caller's unit of work. */
  private async keysForWriting(subjectIds: string[]): Promise<Map<string, DataKey>> {
    return this.transactions.write(async (manager) => {
      const keys = await this.keysOf(manager, subjectIds);
      const missing = subjectIds.filter((subject) => !keys.has(subject));
      if (missing.length === 0) return keys;
      const now = toDbTime(this.transactions.engine, new Date());
      for (const subjectId of missing) {
        const { stored } = this.masterKeys.newDataKey(subjectId);
        await this.query(
          manager,
          `INSERT INTO personal_data_keys (${KEY_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (subject_id) DO NOTHING`,
          [stored.keyId, stored.subjectId, stored.wrappedKey, stored.masterFingerprint, now],
        );
      }
      // Another transaction may have created one first: whichever is stored is the subject's key.
      for (const [subject, key] of await this.keysOf(manager, missing)) keys.set(subject, key);
      return keys;
    });
  }

  private async keysOf(manager: EntityManager, subjectIds: string[]): Promise<Map<string, DataKey>> {
    const share = this.transactions.engine === 'postgres' ? ' FOR SHARE' : '';
    const rows = await this.query<KeyRow>(
      manager,
      `SELECT ${KEY_COLUMNS} FROM personal_data_keys WHERE subject_id IN (${placeholders(subjectIds.length)})${share}`,
      subjectIds,
    );
    return new Map(rows.map((row) => [row.subject_id, this.unwrap(row)]));
  }

  private unwrap(row: KeyRow): DataKey {
    const stored = wrapped(row);
    return { keyId: stored.keyId, subjectId: stored.subjectId, key: this.masterKeys.unwrap(stored) };
  }

  private query<T = unknown>(manager: EntityManager, text: string, parameters: unknown[]): Promise<T[]> {
    return manager.query<T[]>(sql(this.transactions.engine, text), parameters);
  }
}
