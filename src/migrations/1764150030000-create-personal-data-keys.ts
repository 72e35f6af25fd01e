import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crypto-shredding: one data key per data subject, wrapped under the master key (whose fingerprint is
 * stored beside it, so a wrong master key is noticed, not used), and an index of the events holding a
 * subject's sealed personal data, for the export. Erasure deletes both; the events never change.
 */
export class CreatePersonalDataKeys1764150030000 implements MigrationInterface {
  name = 'CreatePersonalDataKeys1764150030000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const text = postgres ? 'text' : 'TEXT';
    await queryRunner.query(`
      CREATE TABLE personal_data_keys (
        key_id ${postgres ? 'uuid' : 'TEXT'} PRIMARY KEY,
        subject_id ${text} NOT NULL,
        wrapped_key ${text} NOT NULL,
        master_fingerprint ${text} NOT NULL,
        created_at ${postgres ? 'timestamptz' : 'TEXT'} NOT NULL,
        CONSTRAINT uq_personal_data_keys_subject UNIQUE (subject_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE personal_data_events (
        subject_id ${text} NOT NULL,
        position ${postgres ? 'bigint' : 'INTEGER'} NOT NULL,
        PRIMARY KEY (subject_id, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE personal_data_events');
    await queryRunner.query('DROP TABLE personal_data_keys');
  }
}
