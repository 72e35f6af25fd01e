import { describe, expect, it } from '@jest/globals';
import { CannotOpen, fingerprint, keyFromBase64, newKey, open, seal } from './personal-data-cipher';
import { envelopeOf, openFields, sealFields } from './personal-data-envelope';
import { MasterKeyMismatch, MasterKeys } from './master-keys';

const declaration = { subject: 'customerId', fields: ['email', 'address'] };
const data = { customerId: 'c-1', email: 'ada@example.com', address: { city: 'London' }, total: 12 };
const TYPE = 'shop.checked-out.v3';
const dataKey = () => ({ keyId: 'k-1', subjectId: 'c-1', key: newKey() });

describe('the cipher', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const key = newKey();
    const once = seal(key, Buffer.from('secret'), 'context');
    expect(seal(key, Buffer.from('secret'), 'context')).not.toEqual(once);
    expect(open(key, once, 'context', 'it').toString()).toBe('secret');
  });

  it.each([
    ['another key', (sealed: string) => open(newKey(), sealed, 'context', 'it')],
    ['other associated data', (sealed: string, key: Buffer) => open(key, sealed, 'elsewhere', 'it')],
    [
      'a changed byte',
      (sealed: string, key: Buffer) => {
        const bytes = Buffer.from(sealed, 'base64');
        bytes[14] = bytes[14]! ^ 1;
        return open(key, bytes.toString('base64'), 'context', 'it');
      },
    ],
    ['too few bytes', (_: string, key: Buffer) => open(key, 'AAAA', 'context', 'it')],
  ])('refuses to open with %s', (_, attempt) => {
    const key = newKey();
    expect(() => attempt(seal(key, Buffer.from('secret'), 'context'), key)).toThrow(CannotOpen);
  });

  it('takes a master key as base64 of exactly 32 bytes', () => {
    const key = newKey();
    expect(keyFromBase64(key.toString('base64'))).toEqual(key);
    expect(keyFromBase64(newKey().subarray(0, 16).toString('base64'))).toBeUndefined();
    expect(keyFromBase64('not base64 at all!')).toBeUndefined();
  });

  it('names a master key by a fingerprint that does not show it', () => {
    const key = newKey();
    expect(fingerprint(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(key)).toBe(fingerprint(Buffer.from(key)));
    expect(key.toString('hex')).not.toContain(fingerprint(key));
  });
});

describe('the envelope', () => {
  it('replaces the declared fields by one envelope with the key id, and opens back to the same data', () => {
    const key = dataKey();
    const sealed = sealFields(data, declaration, key, TYPE, 'cart-1');
    expect(sealed).toEqual({
      customerId: 'c-1',
      total: 12,
      personalData: { keyId: 'k-1', fields: ['email', 'address'], ciphertext: expect.any(String) },
    });
    expect(JSON.stringify(sealed)).not.toContain('ada@');
    expect(openFields(JSON.parse(JSON.stringify(sealed)) as typeof sealed, key, TYPE, 'cart-1')).toEqual(data);
  });

  it('reads the fields as null and the event as erased without the key', () => {
    const sealed = sealFields(data, declaration, dataKey(), TYPE, 'cart-1');
    expect(openFields(sealed, undefined, TYPE, 'cart-1')).toEqual({
      customerId: 'c-1',
      total: 12,
      email: null,
      address: null,
      erased: true,
    });
  });

  it('will not open an envelope moved to another event type or stream', () => {
    const key = dataKey();
    const sealed = sealFields(data, declaration, key, TYPE, 'cart-1');
    expect(() => openFields(sealed, key, 'shop.other.v1', 'cart-1')).toThrow(CannotOpen);
    expect(() => openFields(sealed, key, TYPE, 'cart-2')).toThrow(CannotOpen);
  });

  it('leaves data without an envelope as it is', () => {
    expect(envelopeOf({ personalData: 'not an envelope' })).toBeUndefined();
    const plain = { customerId: 'c-1' };
    expect(openFields(plain, undefined, TYPE, 'cart-1')).toBe(plain);
  });
});

describe('the master keys', () => {
  it('unwrap what they wrapped, also under the previous key during a rotation', () => {
    const [old, current] = [newKey(), newKey()];
    const wrapped = new MasterKeys(old).newDataKey('c-1');
    expect(new MasterKeys(current, old).unwrap(wrapped.stored)).toEqual(wrapped.key);
    expect(new MasterKeys(current, old).wrap('k', 'c-1', wrapped.key).masterFingerprint).toBe(fingerprint(current));
  });

  it('refuse a key wrapped under a master key they do not have, naming fingerprints only', () => {
    const wrapped = new MasterKeys(newKey()).newDataKey('c-1');
    expect(() => new MasterKeys(newKey()).unwrap(wrapped.stored)).toThrow(MasterKeyMismatch);
    expect(() => new MasterKeys(newKey()).unwrap(wrapped.stored)).toThrow(wrapped.stored.masterFingerprint);
  });

  it('refuse a wrapped key moved to another subject', () => {
    const keys = new MasterKeys(newKey());
    const { stored } = keys.newDataKey('c-1');
    expect(() => keys.unwrap({ ...stored, subjectId: 'c-2' })).toThrow(CannotOpen);
  });
});
