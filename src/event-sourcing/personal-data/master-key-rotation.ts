import { sql } from '../typeorm/sql';
import { Transactions } from '../typeorm/transactions';
import { MasterKeys } from './master-keys';

export interface RotationReport {
  /** Data keys now wrapped under the new master key that were not before. */
  rewrapped: number;
  /** Data keys that already were (a rotation run twice, or keys created during the rollout). */
  alreadyWrapped: number;
  /** Fingerprints of the master keys the data keys were wrapped under before. */
  from: string[];
  to: string;
}

interface Row {
  key_id: string;
  subject_id: string;
  wrapped_key: string;
  master_fingerprint: string;
}

/**
 * Re-wraps every data key under `next`, in one transaction: all keys move or none. Events are never
 * touched (they are sealed under the data keys, which stay the same). A key wrapped under a master key
 * `current` does not hold stops the rotation before anything is written (MasterKeyMismatch).
 */
export async function rotateMasterKey(
  transactions: Transactions,
  current: MasterKeys,
  next: MasterKeys,
): Promise<RotationReport> {
  return transactions.write(async (manager) => {
    const lock = transactions.engine === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await manager.query<Row[]>(
      `SELECT key_id, subject_id, wrapped_key, master_fingerprint FROM personal_data_keys${lock}`,
    );
    const from = new Set<string>();
    let rewrapped = 0;
    for (const row of rows) {
      if (row.master_fingerprint === next.fingerprint) continue;
      from.add(row.master_fingerprint);
      const stored = {
        keyId: String(row.key_id),
        subjectId: row.subject_id,
        wrappedKey: row.wrapped_key,
        masterFingerprint: row.master_fingerprint,
      };
      const wrapped = next.wrap(stored.keyId, stored.subjectId, current.unwrap(stored));
      await manager.query(
        sql(
          transactions.engine,
          'UPDATE personal_data_keys SET wrapped_key = ?, master_fingerprint = ? WHERE key_id = ?',
        ),
        [wrapped.wrappedKey, wrapped.masterFingerprint, stored.keyId],
      );
      rewrapped += 1;
    }
    return { rewrapped, alreadyWrapped: rows.length - rewrapped, from: [...from], to: next.fingerprint };
  });
}
