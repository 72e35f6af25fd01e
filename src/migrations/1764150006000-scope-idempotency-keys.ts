import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scope a record stored before this migration belongs to. A saga's key was `saga-command:` followed
 * by its fingerprint (the command id), which no client could produce, since a client's fingerprint is a
 * hash; and the checkout saga was the only saga. Every other key was a client's: its scope is the actor
 * its request stored on the events (the token's subject), or anonymous, exactly as requests are scoped now,
 * so a client retrying across the upgrade still gets its first answer.
 */
const scopeOfExistingKey = (actor: string) => `CASE
    WHEN k.key = 'saga-command:' || k.fingerprint THEN 'internal:checkout-saga'
    ELSE 'client:' || COALESCE(
      (SELECT ${actor} FROM events e WHERE e.stream_id = k.stream_id AND e.stream_version = k.version),
      'anonymous')
  END`;

const sqliteTable = (name: string, scoped: boolean) => `
  CREATE TABLE ${name} (
    ${scoped ? 'scope TEXT NOT NULL,' : ''}
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (${scoped ? 'scope, key' : 'key'})
  )`;
const COLUMNS = 'key, fingerprint, stream_id, version, position, recorded_at, expires_at';

/**
 * Idempotency keys become (scope, key) pairs: `client:<token subject>` (or `client:anonymous`) for
 * requests, `internal:<saga>` for saga commands. A client can then neither replay nor block another
 * caller's command, nor claim the key a saga will use. SQLite cannot change a primary key in place, so
 * there the small table is copied into its new shape.
 */
export class ScopeIdempotencyKeys1764150006000 implements MigrationInterface {
  name = 'ScopeIdempotencyKeys1764150006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('ALTER TABLE idempotency_keys ADD COLUMN scope text');
      await queryRunner.query(`UPDATE idempotency_keys k SET scope = ${scopeOfExistingKey("e.metadata->>'actor'")}`);
      await queryRunner.query('ALTER TABLE idempotency_keys ALTER COLUMN scope SET NOT NULL');
      await queryRunner.query('ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey');
      await queryRunner.query(
        'ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key)',
      );
      return;
    }
    await queryRunner.query(sqliteTable('idempotency_keys_scoped', true));
    await queryRunner.query(`
      INSERT INTO idempotency_keys_scoped (scope, ${COLUMNS})
      SELECT ${scopeOfExistingKey("json_extract(e.metadata, '$.actor')")}, ${COLUMNS} FROM idempotency_keys k`);
    await replaceSqliteTable(queryRunner, 'idempotency_keys_scoped');
  }

  /** Back to one namespace: where scopes share a key, the newest record keeps it. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`
        DELETE FROM idempotency_keys a USING idempotency_keys b
        WHERE a.key = b.key AND (a.recorded_at, a.scope) < (b.recorded_at, b.scope)`);
      await queryRunner.query('ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey');
      await queryRunner.query('ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (key)');
      await queryRunner.query('ALTER TABLE idempotency_keys DROP COLUMN scope');
      return;
    }
    await queryRunner.query(sqliteTable('idempotency_keys_unscoped', false));
    await queryRunner.query(`
      INSERT OR IGNORE INTO idempotency_keys_unscoped (${COLUMNS})
      SELECT ${COLUMNS} FROM idempotency_keys ORDER BY recorded_at DESC, scope DESC`);
    await replaceSqliteTable(queryRunner, 'idempotency_keys_unscoped');
  }
}

async function replaceSqliteTable(queryRunner: QueryRunner, replacement: string): Promise<void> {
  await queryRunner.query('DROP TABLE idempotency_keys');
  await queryRunner.query(`ALTER TABLE ${replacement} RENAME TO idempotency_keys`);
  await queryRunner.query('CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at)');
}
