import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read tables of the shopping-carts module (cart-details and customer-carts projections). */
export class CreateShoppingCartReadModels1764150001000 implements MigrationInterface {
  name = 'CreateShoppingCartReadModels1764150001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bigint = queryRunner.connection.options.type === 'postgres' ? 'bigint' : 'INTEGER';
    await queryRunner.query(`
      CREATE TABLE cart_details (
        cart_id varchar PRIMARY KEY,
        customer_id varchar NOT NULL,
        status varchar NOT NULL,
        items text NOT NULL,
        total_cents ${bigint} NOT NULL,
        version integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE customer_carts (
        cart_id varchar PRIMARY KEY,
        customer_id varchar NOT NULL,
        status varchar NOT NULL,
        item_count integer NOT NULL,
        total_cents ${bigint} NOT NULL,
        version integer NOT NULL,
        lines text NOT NULL,
        opened_position ${bigint} NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_customer_carts_customer_opened ON customer_carts (customer_id, opened_position)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE customer_carts');
    await queryRunner.query('DROP TABLE cart_details');
  }
}
