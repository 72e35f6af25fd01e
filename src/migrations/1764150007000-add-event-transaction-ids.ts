import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only: each event records the transaction that appended it, and the log is read in
 * `(transaction_id, position)` order up to the oldest transaction still running, so appends need not
 * commit in position order (see settled-reads.ts). The events stored before this migration were
 * committed in position order under the old append lock: they all get this migration's transaction id
 * (the default is evaluated once, without rewriting the table), which keeps them in position order and
 * ahead of every later append. SQLite commits in position order and needs no such column.
 */
export class AddEventTransactionIds1764150007000 implements MigrationInterface {
  name = 'AddEventTransactionIds1764150007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('ALTER TABLE events ADD COLUMN transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id()');
    await queryRunner.query('CREATE INDEX ix_events_transaction_position ON events (transaction_id, position)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('DROP INDEX ix_events_transaction_position');
    await queryRunner.query('ALTER TABLE events DROP COLUMN transaction_id');
  }
}
