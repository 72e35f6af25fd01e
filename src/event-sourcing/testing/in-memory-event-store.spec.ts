import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from './event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

// The in-memory store stands in for the database in domain specs, so it must keep the same promises.
describeEventStoreContract('in memory', () => {
  const store = new InMemoryEventStore();
  return Promise.resolve({
    store,
    insertRawEvent: (streamId, version, type, data) => {
      // Reach past the public API the way a foreign writer would.
      (store as unknown as { rows: object[] }).rows.push({
        position: Number.MAX_SAFE_INTEGER,
        eventId: randomUUID(),
        streamId,
        streamVersion: version,
        type,
        data: JSON.stringify(data),
        metadata: '{}',
        recordedAt: new Date(),
      });
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  });
});
