import { randomUUID } from 'node:crypto';
import { fingerprint, newKey, open, seal } from './personal-data-cipher';

/** A data key as stored: wrapped under a master key whose fingerprint is beside it. */
export interface WrappedKey {
  keyId: string;
  subjectId: string;
  wrappedKey: string;
  masterFingerprint: string;
}

/** A stored key was wrapped under a master key the service was not given. Nothing is decrypted with a guess. */
export class MasterKeyMismatch extends Error {
  constructor(stored: string, given: string[]) {
    super(
      `PERSONAL_DATA_MASTER_KEY does not match the stored personal-data keys: they were wrapped under the master ` +
        `key with fingerprint ${stored}, the service has ${given.join(' and ')}. Start it with that master key ` +
        `(or with it as PERSONAL_DATA_PREVIOUS_MASTER_KEY while a rotation rolls out).`,
    );
    this.name = 'MasterKeyMismatch';
  }
}

function wrapContext(keyId: string, subjectId: string): string {
  return `ledgerline:personal-data-key:v1\0${keyId}\0${subjectId}`;
}

/**
 * The master key that wraps every data key, and optionally the one before it: keys still wrapped under
 * the previous one (during a rotation's rollout) are read, new keys are always wrapped under the current.
 * Holds key material: never logged, never serialised.
 */
export class MasterKeys {
  readonly fingerprint: string;
  readonly previousFingerprint: string | undefined;

  constructor(
    private readonly current: Buffer,
    private readonly previous?: Buffer,
  ) {
    this.fingerprint = fingerprint(current);
    this.previousFingerprint = previous && fingerprint(previous);
  }

  /** A random master key that lives as long as the process: for in-memory databases and tests. */
  static ephemeral(): MasterKeys {
    return new MasterKeys(newKey());
  }

  get fingerprints(): string[] {
    return this.previousFingerprint === undefined ? [this.fingerprint] : [this.fingerprint, this.previousFingerprint];
  }

  /** A new data key for the subject, and its stored form. */
  newDataKey(subjectId: string): { key: Buffer; stored: WrappedKey } {
    const key = newKey();
    return { key, stored: this.wrap(randomUUID(), subjectId, key) };
  }

  wrap(keyId: string, subjectId: string, key: Buffer): WrappedKey {
    return {
      keyId,
      subjectId,
      wrappedKey: seal(this.current, key, wrapContext(keyId, subjectId)),
      masterFingerprint: this.fingerprint,
    };
  }

  /** The data key; throws MasterKeyMismatch when it was wrapped under neither master key given. */
  unwrap(stored: WrappedKey): Buffer {
    const master =
      stored.masterFingerprint === this.fingerprint
        ? this.current
        : stored.masterFingerprint === this.previousFingerprint
          ? this.previous
          : undefined;
    if (master === undefined) throw new MasterKeyMismatch(stored.masterFingerprint, this.fingerprints);
    return open(master, stored.wrappedKey, wrapContext(stored.keyId, stored.subjectId), `data key ${stored.keyId}`);
  }
}
