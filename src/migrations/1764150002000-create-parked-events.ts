import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Events a saga gave up on after its retries, kept for an operator to see and retry. */
export class CreateParkedEvents1764150002000 implements MigrationInterface {
  name = 'CreateParkedEvents1764150002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(`
      CREATE TABLE parked_events (
        subscription ${postgres ? 'text' : 'TEXT'} NOT NULL,
        position ${postgres ? 'bigint' : 'INTEGER'} NOT NULL,
        event_id ${postgres ? 'uuid' : 'TEXT'} NOT NULL,
        type ${postgres ? 'text' : 'TEXT'} NOT NULL,
        error ${postgres ? 'text' : 'TEXT'} NOT NULL,
        attempts integer NOT NULL,
        parked_at ${postgres ? 'timestamptz' : 'TEXT'} NOT NULL,
        PRIMARY KEY (subscription, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE parked_events');
  }
}
