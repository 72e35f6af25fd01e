import { randomUUID } from 'node:crypto';
import { EventTypeRegistry } from '../event-type-registry';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { createTestDatabase, testEngine } from '../testing/test-database';
import { ClusterCoordinator } from './cluster-coordinator';
import { sql } from './sql';
import { Transactions } from './transactions';
import { TypeOrmEventStore } from './typeorm-event-store';

describeEventStoreContract(`TypeORM on ${testEngine()}`, async () => {
  const database = await createTestDatabase();
  const transactions = new Transactions(database.dataSource);
  const coordinator = new ClusterCoordinator(transactions);
  const store = new TypeOrmEventStore(transactions, new EventTypeRegistry(), coordinator);
  return {
    store,
    insertRawEvent: async (streamId, version, type, data) => {
      await database.dataSource.query(
        sql(
          transactions.engine,
          `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash)
           VALUES (?, ?, ?, ?, ?, '{}', ?, ?)`,
        ),
        // Reads do not look at the hash; only the integrity check does.
        [randomUUID(), streamId, version, type, JSON.stringify(data), new Date().toISOString(), 'not chained'],
      );
    },
    close: async () => {
      await coordinator.onApplicationShutdown();
      await database.drop();
    },
  };
});
