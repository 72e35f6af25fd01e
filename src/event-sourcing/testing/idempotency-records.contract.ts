import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventStore, IdempotencyKeyTaken, IdempotentAppend, NO_STREAM } from '../event-store';
import { Type } from '@sinclair/typebox';
import { eventData } from '../event-schema';
import { EventType } from '../event-type';

@EventType('contract-test.keyed-thing-happened.v1', eventData({ label: Type.String() }))
class KeyedThingHappened {
  constructor(readonly label: string) {}
}

const later = (ms: number) => new Date(Date.now() + ms);
const CLIENT = 'client:anonymous';

/** The Idempotency-Key records every EventStore keeps; part of `describeEventStoreContract`. */
export function describeIdempotencyRecords(current: () => EventStore): void {
  describe('idempotency records', () => {
    const stream = () => `contract-${randomUUID()}`;
    const keyed = (idempotency: IdempotentAppend, id = stream()) =>
      current().append(id, NO_STREAM, [new KeyedThingHappened(idempotency.key)], { idempotency });

    it('remembers the result of a keyed append until it expires', async () => {
      const store = current();
      const id = stream();
      const key = randomUUID();
      const result = await keyed({ scope: CLIENT, key, fingerprint: 'POST /things', expiresAt: later(60_000) }, id);
      const record = await store.findIdempotencyRecord(CLIENT, key, new Date());
      expect(record).toMatchObject({ scope: CLIENT, key, fingerprint: 'POST /things', streamId: id, version: 1 });
      expect(record!.position).toBe(result.positions[0]);
      expect(await store.findIdempotencyRecord(CLIENT, key, later(120_000))).toBeUndefined();
      expect(await store.findIdempotencyRecord(CLIENT, randomUUID(), new Date())).toBeUndefined();
    });

    it('lets an expired key be used afresh', async () => {
      const key = randomUUID();
      await keyed({ scope: CLIENT, key, fingerprint: 'old', expiresAt: later(1) });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const id = stream();
      await keyed({ scope: CLIENT, key, fingerprint: 'new', expiresAt: later(60_000) }, id);
      expect(await current().findIdempotencyRecord(CLIENT, key, new Date())).toMatchObject({
        fingerprint: 'new',
        streamId: id,
      });
    });

    it('keeps one key apart in different scopes, and refuses it twice in one', async () => {
      const store = current();
      const key = randomUUID();
      const expiresAt = later(60_000);
      const alice = stream();
      const saga = stream();
      await keyed({ scope: 'client:mallory', key, fingerprint: 'mallory', expiresAt });
      await keyed({ scope: 'client:alice', key, fingerprint: 'alice', expiresAt }, alice);
      await keyed({ scope: 'internal:some-saga', key, fingerprint: 'saga', expiresAt }, saga);
      expect(await store.findIdempotencyRecord('client:alice', key, new Date())).toMatchObject({
        scope: 'client:alice',
        fingerprint: 'alice',
        streamId: alice,
      });
      expect(await store.findIdempotencyRecord('internal:some-saga', key, new Date())).toMatchObject({
        fingerprint: 'saga',
        streamId: saga,
      });
      expect(await store.findIdempotencyRecord(CLIENT, key, new Date())).toBeUndefined();
      await expect(keyed({ scope: 'client:alice', key, fingerprint: 'again', expiresAt })).rejects.toBeInstanceOf(
        IdempotencyKeyTaken,
      );
    });

    it('deletes expired records in bounded batches and keeps the live ones', async () => {
      const store = current();
      const expiring = [randomUUID(), randomUUID(), randomUUID()];
      const live = [randomUUID(), randomUUID()];
      for (const key of expiring) await keyed({ scope: CLIENT, key, fingerprint: 'f', expiresAt: later(60_000) });
      for (const key of live) await keyed({ scope: 'internal:x', key, fingerprint: 'f', expiresAt: later(600_000) });
      const sweepAt = later(120_000);
      expect(await store.deleteExpiredIdempotencyRecords(sweepAt, 2)).toBe(2);
      expect(await store.deleteExpiredIdempotencyRecords(sweepAt, 2)).toBe(1);
      expect(await store.deleteExpiredIdempotencyRecords(sweepAt, 2)).toBe(0);
      // Asked as of now, a record that still existed would answer: the expired ones are gone for good.
      for (const key of expiring) expect(await store.findIdempotencyRecord(CLIENT, key, new Date())).toBeUndefined();
      for (const key of live) {
        expect(await store.findIdempotencyRecord('internal:x', key, sweepAt)).toMatchObject({ key });
      }
    });
  });
}
