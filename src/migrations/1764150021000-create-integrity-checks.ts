import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Background hash-chain checks of the whole log (`POST /admin/integrity/checks`): stored, so any instance
 * answers the poll of a check another one runs, and a check survives as a record after a restart.
 */
export class CreateIntegrityChecks1764150021000 implements MigrationInterface {
  name = 'CreateIntegrityChecks1764150021000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const time = postgres ? 'timestamptz' : 'TEXT';
    await queryRunner.query(`
      CREATE TABLE integrity_checks (
        id ${postgres ? 'uuid' : 'TEXT'} PRIMARY KEY,
        status ${postgres ? 'text' : 'TEXT'} NOT NULL,
        requested_at ${time} NOT NULL,
        updated_at ${time} NOT NULL,
        finished_at ${time},
        streams_checked ${postgres ? 'bigint' : 'INTEGER'} NOT NULL DEFAULT 0,
        events_checked ${postgres ? 'bigint' : 'INTEGER'} NOT NULL DEFAULT 0,
        report ${postgres ? 'jsonb' : 'TEXT'},
        error ${postgres ? 'text' : 'TEXT'}
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE integrity_checks');
  }
}
