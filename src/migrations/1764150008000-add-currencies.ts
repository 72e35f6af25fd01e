import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['cart_details', 'customer_carts', 'order_details'];

/**
 * Carts and orders get a currency. Every row written before is in euros, because every event written
 * before is read as euros (the upcasters of shopping-cart.opened.v1, shopping-cart.checked-out.v1 and
 * order.placed.v1): so the rows need no rebuild, and a rebuild gives the same rows.
 */
export class AddCurrencies1764150008000 implements MigrationInterface {
  name = 'AddCurrencies1764150008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN currency varchar NOT NULL DEFAULT 'EUR'`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN currency`);
  }
}
