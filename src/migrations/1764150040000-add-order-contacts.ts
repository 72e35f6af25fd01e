import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders show the contact given at checkout (personal data, issue 16) and whether it was erased. Rows
 * written before hold none, as their events read (the upcasters of order.placed.v2 give nulls), so they need
 * no rebuild. The erasure's update finds a customer's rows through ix_order_details_customer.
 */
export class AddOrderContacts1764150040000 implements MigrationInterface {
  name = 'AddOrderContacts1764150040000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query('ALTER TABLE order_details ADD COLUMN email varchar NULL');
    await queryRunner.query('ALTER TABLE order_details ADD COLUMN shipping_address text NULL');
    await queryRunner.query(
      `ALTER TABLE order_details ADD COLUMN erased boolean NOT NULL DEFAULT ${postgres ? 'false' : '0'}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['erased', 'shipping_address', 'email']) {
      await queryRunner.query(`ALTER TABLE order_details DROP COLUMN ${column}`);
    }
  }
}
