import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log, the subscription checkpoints and the Idempotency-Key results.
 * Triggers make the log refuse UPDATE and DELETE, so no application path can rewrite history.
 */
export class CreateEventStore1764150000000 implements MigrationInterface {
  name = 'CreateEventStore1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`
        CREATE TABLE events (
          position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          event_id uuid NOT NULL CONSTRAINT uq_events_event_id UNIQUE,
          stream_id text NOT NULL,
          stream_version integer NOT NULL,
          type text NOT NULL,
          data jsonb NOT NULL,
          metadata jsonb NOT NULL,
          recorded_at timestamptz NOT NULL,
          CONSTRAINT uq_events_stream_version UNIQUE (stream_id, stream_version)
        )`);
      await queryRunner.query(`
        CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'events are append-only'; END $$`);
      await queryRunner.query(`
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_are_append_only()`);
      await queryRunner.query(`
        CREATE TABLE subscription_checkpoints (
          name text PRIMARY KEY,
          position bigint NOT NULL,
          updated_at timestamptz NOT NULL
        )`);
      await queryRunner.query(`
        CREATE TABLE idempotency_keys (
          key text CONSTRAINT idempotency_keys_pkey PRIMARY KEY,
          fingerprint text NOT NULL,
          stream_id text NOT NULL,
          version integer NOT NULL,
          position bigint NOT NULL,
          recorded_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL
        )`);
      await queryRunner.query('CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at)');
      return;
    }
    await queryRunner.query(`
      CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL CONSTRAINT uq_events_event_id UNIQUE,
        stream_id TEXT NOT NULL,
        stream_version INTEGER NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        CONSTRAINT uq_events_stream_version UNIQUE (stream_id, stream_version)
      )`);
    await queryRunner.query(`
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`);
    await queryRunner.query(`
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`);
    await queryRunner.query(`
      CREATE TABLE subscription_checkpoints (
        name TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        stream_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        position INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
    await queryRunner.query('DROP TABLE subscription_checkpoints');
    await queryRunner.query('DROP TABLE events');
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP FUNCTION events_are_append_only()');
    }
  }
}
