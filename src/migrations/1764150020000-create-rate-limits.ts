import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only: the request counts every instance shares for RATE_LIMIT_PER_MINUTE, in the shape
 * rate-limiter-flexible's PostgreSQL store reads and writes (`key`, `points`, `expire` in epoch
 * milliseconds). On SQLite there is one process, which counts in memory.
 */
export class CreateRateLimits1764150020000 implements MigrationInterface {
  name = 'CreateRateLimits1764150020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(
      'CREATE TABLE rate_limits (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('DROP TABLE rate_limits');
  }
}
