import { afterEach, describe, expect, it } from '@jest/globals';
import { MigrationInterface } from 'typeorm';
import { readDatabaseConfig } from '../config/database.config';
import { dataSourceOptions } from '../database/data-source-options';
import { openDataSource } from '../database/prepare-database';
import { IsolatedDatabase, isolatedDatabase, testEngine } from '../event-sourcing/testing/test-database';
import { AddCurrencies1764150008000 } from './1764150008000-add-currencies';
import { migrations } from './index';

const engine = testEngine();
const BEFORE = migrations.slice(0, migrations.indexOf(AddCurrencies1764150008000));
/** Up to this migration, so that undoing the last one undoes it whatever later migrations exist. */
const THROUGH = migrations.slice(0, migrations.indexOf(AddCurrencies1764150008000) + 1);
const open = (database: IsolatedDatabase, list: (new () => MigrationInterface)[]) =>
  openDataSource({ ...dataSourceOptions(readDatabaseConfig(database.env)), migrations: list });

describe(`the currency migration (${engine})`, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('gives the rows written before it euros, as the upcasters give their events', async () => {
    const database = isolatedDatabase();
    cleanup.push(() => database.drop());
    const legacy = await open(database, BEFORE);
    await legacy.query(
      `INSERT INTO cart_details (cart_id, customer_id, status, items, total_cents, version)
       VALUES ('c-1', 'ann', 'open', '[]', 0, 1)`,
    );
    await legacy.query(
      `INSERT INTO customer_carts (cart_id, customer_id, status, item_count, total_cents, version, lines, opened_position)
       VALUES ('c-1', 'ann', 'open', 0, 0, 1, '[]', 1)`,
    );
    await legacy.query(
      `INSERT INTO order_details (order_id, cart_id, customer_id, status, lines, total_cents, version, placed_position)
       VALUES ('o-1', 'c-1', 'ann', 'placed', '[]', 0, 1, 2)`,
    );
    await legacy.destroy();

    const migrated = await open(database, THROUGH);
    cleanup.push(() => migrated.destroy());
    for (const table of ['cart_details', 'customer_carts', 'order_details']) {
      expect(await migrated.query(`SELECT currency FROM ${table}`)).toEqual([{ currency: 'EUR' }]);
    }
    await migrated.undoLastMigration({ transaction: 'each' });
    const [row] = await migrated.query<Record<string, unknown>[]>('SELECT * FROM cart_details');
    expect(row).not.toHaveProperty('currency');
  });
});
