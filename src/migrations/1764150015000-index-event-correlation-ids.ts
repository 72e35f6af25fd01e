import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /events?correlationId=` finds one correlation's events among all of them: an index on the
 * metadata's correlation id keeps that a lookup on a large log. The queries use the same expression
 * (`CORRELATED_EVENTS_SQL` in src/event-log/browsing/correlated-events.ts), or the engines would not use the index.
 */
export class IndexEventCorrelationIds1764150015000 implements MigrationInterface {
  name = 'IndexEventCorrelationIds1764150015000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const expression =
      queryRunner.connection.options.type === 'postgres'
        ? "(metadata->>'correlationId')"
        : "json_extract(metadata, '$.correlationId')";
    await queryRunner.query(`CREATE INDEX ix_events_correlation_id ON events (${expression})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_events_correlation_id');
  }
}
