import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Aggregate snapshots: a cache of each stream's latest state, so loads replay only the tail. */
export class CreateSnapshots1764150005000 implements MigrationInterface {
  name = 'CreateSnapshots1764150005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(`
      CREATE TABLE snapshots (
        stream_id ${postgres ? 'text' : 'TEXT'} PRIMARY KEY,
        version integer NOT NULL,
        schema_version integer NOT NULL,
        state ${postgres ? 'jsonb' : 'TEXT'} NOT NULL,
        taken_at ${postgres ? 'timestamptz' : 'TEXT'} NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE snapshots');
  }
}
