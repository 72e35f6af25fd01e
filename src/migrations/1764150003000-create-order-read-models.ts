import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read table of the orders module (order-details projection). */
export class CreateOrderReadModels1764150003000 implements MigrationInterface {
  name = 'CreateOrderReadModels1764150003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bigint = queryRunner.connection.options.type === 'postgres' ? 'bigint' : 'INTEGER';
    await queryRunner.query(`
      CREATE TABLE order_details (
        order_id varchar PRIMARY KEY,
        cart_id varchar NOT NULL,
        customer_id varchar NOT NULL,
        status varchar NOT NULL,
        lines text NOT NULL,
        total_cents ${bigint} NOT NULL,
        version integer NOT NULL,
        placed_position ${bigint} NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX ix_order_details_customer ON order_details (customer_id, placed_position)');
    await queryRunner.query('CREATE INDEX ix_order_details_cart ON order_details (cart_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE order_details');
  }
}
