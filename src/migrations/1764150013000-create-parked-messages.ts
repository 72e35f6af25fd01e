import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Inbound broker messages that can never succeed, kept with their body for an operator to see and retry. */
export class CreateParkedMessages1764150013000 implements MigrationInterface {
  name = 'CreateParkedMessages1764150013000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const text = postgres ? 'text' : 'TEXT';
    await queryRunner.query(`
      CREATE TABLE parked_messages (
        consumer ${text} NOT NULL,
        sequence ${postgres ? 'bigint' : 'INTEGER'} NOT NULL,
        message_id ${text},
        type ${text},
        subject ${text} NOT NULL,
        body ${text} NOT NULL,
        error ${text} NOT NULL,
        attempts integer NOT NULL,
        parked_at ${postgres ? 'timestamptz' : 'TEXT'} NOT NULL,
        PRIMARY KEY (consumer, sequence)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE parked_messages');
  }
}
