import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** AES-256-GCM: a 32-byte key, a random 96-bit IV per message, a 128-bit tag. */
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key that is not 32 bytes, or a message that was not sealed under this key and these associated data. */
export class CannotOpen extends Error {
  constructor(what: string) {
    super(`Cannot decrypt ${what}: wrong key, or the stored bytes were changed`);
    this.name = 'CannotOpen';
  }
}

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** A base64 text of exactly 32 bytes as a key; undefined for anything else. */
export function keyFromBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim())) return undefined;
  const key = Buffer.from(text.trim(), 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}

/**
 * Encrypts `plaintext` as `base64(iv | ciphertext | tag)`. The associated data are authenticated, not
 * stored: opening with other associated data fails, so a sealed value cannot be moved to another context.
 */
export function seal(key: Buffer, plaintext: Buffer, associatedData: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

/** The plaintext of `seal`'s output; throws CannotOpen for another key, other associated data or changed bytes. */
export function open(key: Buffer, sealed: string, associatedData: string, what: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new CannotOpen(what);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CannotOpen(what);
  }
}

/**
 * A short public name of a master key, stored with every key it wraps: a service started with another
 * master key finds out before it tries to unwrap anything. 16 hex digits of a domain-separated SHA-256;
 * it tells keys apart, it does not help guess one.
 */
export function fingerprint(masterKey: Buffer): string {
  return createHash('sha256')
    .update('ledgerline personal-data master key\0')
    .update(masterKey)
    .digest('hex')
    .slice(0, 16);
}
