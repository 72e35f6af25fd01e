import { randomUUID } from 'node:crypto';
import { EventTypeRegistry } from '../event-type-registry';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { createSqliteTestDatabase } from '../testing/sqlite-test-database';
import { ClusterCoordinator } from './cluster-coordinator';
import { Transactions } from './transactions';
import { TypeOrmEventStore } from './typeorm-event-store';

describeEventStoreContract('TypeORM on SQLite', async () => {
  const database = await createSqliteTestDatabase();
  const transactions = new Transactions(database.dataSource);
  const store = new TypeOrmEventStore(transactions, new EventTypeRegistry(), new ClusterCoordinator(transactions));
  return {
    store,
    insertRawEvent: async (streamId, version, type, data) => {
      await database.dataSource.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, '{}', ?)`,
        [randomUUID(), streamId, version, type, JSON.stringify(data), new Date().toISOString()],
      );
    },
    close: () => database.drop(),
  };
});
