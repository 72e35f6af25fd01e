import type { PoolClient } from 'pg';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { CheckpointClaim, CheckpointMoved, claimedCheckpointSql } from './subscription-store';

type ColumnMetadata = EntityMetadata['columns'][number];

/** Column types whose values pass as one element of a PostgreSQL array parameter and cast back as they are. */
const SCALAR_TYPES = new Set([
  'bigint',
  'boolean',
  'bytea',
  'character',
  'character varying',
  'date',
  'double precision',
  'integer',
  'json',
  'jsonb',
  'numeric',
  'real',
  'smallint',
  'text',
  'timestamp with time zone',
  'timestamp without time zone',
  'uuid',
]);

/**
 * Rows of one entity by primary key on PostgreSQL, for projections: the batch's rows are read in one
 * statement (`= ANY($1)`), and the changed ones are upserted in one more, through `unnest` of one array
 * per column, together with the subscription's checkpoint, which that statement moves only while this
 * instance still holds it (claimedCheckpointSql). So a batch is two round trips and no transaction: the
 * second statement commits the rows and the checkpoint together, or neither. Both are named prepared
 * statements (parsed and planned once per connection). Values go through TypeORM's own column
 * conversions both ways, so the rows are those `findBy` reads and `upsert` writes.
 */
export class PostgresRows<T extends ObjectLiteral> {
  private readonly columns: readonly ColumnMetadata[];
  private readonly key: ColumnMetadata;
  private readonly name: string;
  private readonly selectText: string;
  private readonly upsertText: (expected: number) => string;

  /** Undefined when the entity has a column this path does not handle (the caller then uses TypeORM's). */
  static of<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>): PostgresRows<T> | undefined {
    const metadata = dataSource.getMetadata(entity);
    const types = metadata.columns.map((column) => dataSource.driver.normalizeType(column));
    const simple =
      metadata.primaryColumns.length === 1 &&
      metadata.columns.every((column) => !column.embeddedMetadata && !column.isArray) &&
      types.every((type) => SCALAR_TYPES.has(type));
    return simple ? new PostgresRows(dataSource, metadata, types) : undefined;
  }

  private constructor(
    private readonly dataSource: DataSource,
    metadata: EntityMetadata,
    types: string[],
  ) {
    this.columns = metadata.columns;
    this.key = metadata.primaryColumns[0]!;
    const keyType = types[this.columns.indexOf(this.key)]!;
    const names = this.columns.map((column) => `"${column.databaseName}"`);
    // Unqualified: the connection's search_path names the configured schema.
    const table = `"${metadata.tableName}"`;
    this.name = `ledgerline:rows-${metadata.tableName}`;
    this.selectText = `SELECT ${names.join(', ')} FROM ${table} WHERE "${this.key.databaseName}" = ANY($1::${keyType}[])`;
    // $1 to $3 belong to the checkpoint; one array per column follows.
    const arrays = types.map((type, index) => `$${index + 4}::${type}[]`);
    const updates = this.columns
      .filter((column) => column !== this.key)
      .map((column) => `"${column.databaseName}" = excluded."${column.databaseName}"`);
    this.upsertText = (expected) =>
      `WITH claim AS (${claimedCheckpointSql(expected)}),
       written AS (
         INSERT INTO ${table} (${names.join(', ')})
         SELECT * FROM unnest(${arrays.join(', ')}) WHERE EXISTS (SELECT 1 FROM claim)
         ON CONFLICT ("${this.key.databaseName}") DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}
       )
       SELECT 1 FROM claim`;
  }

  /** The stored rows of these keys, by key. */
  async find(client: PoolClient, keys: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (keys.length === 0) return found;
    const { rows } = await client.query<Record<string, unknown>>({
      name: `${this.name}-select`,
      text: this.selectText,
      values: [keys],
    });
    const { driver } = this.dataSource;
    for (const row of rows) {
      const entity: Record<string, unknown> = {};
      for (const column of this.columns) {
        entity[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column) as unknown;
      }
      found.set(String(entity[this.key.propertyName]), entity as T);
    }
    return found;
  }

  /**
   * Upserts `rows` and moves the checkpoint as `claim` says, in one statement; throws CheckpointMoved,
   * having written nothing, when another instance moved the checkpoint.
   */
  async save(client: PoolClient, rows: readonly T[], claim: CheckpointClaim): Promise<void> {
    const { driver } = this.dataSource;
    const arrays = this.columns.map((column) =>
      rows.map((row) => driver.preparePersistentValue(column.getEntityValue(row), column) as unknown),
    );
    const { rowCount } = await client.query({
      name: `${this.name}-upsert-${claim.expected === 0 ? 'first' : 'next'}`,
      text: this.upsertText(claim.expected),
      values: [claim.name, claim.position, claim.expected, ...arrays],
    });
    if (rowCount !== 0) return;
    const { rows: stored } = await client.query<{ position: string }>(
      'SELECT position FROM subscription_checkpoints WHERE name = $1',
      [claim.name],
    );
    throw new CheckpointMoved(claim.name, claim.expected, Number(stored[0]?.position ?? 0));
  }
}
