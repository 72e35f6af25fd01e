import type { Database, Statement } from 'better-sqlite3';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

type ColumnMetadata = EntityMetadata['columns'][number];

/**
 * Rows of one entity by primary key, read and upserted with prepared statements on SQLite's own
 * connection, synchronously, inside a transaction the caller holds. For projections, whose TypeORM
 * `findBy` and `upsert` built the same SQL again for every batch and cost more than running it. Values go
 * through TypeORM's own column conversions both ways (JSON, transformers), so the rows are those
 * `findBy` reads and `upsert` writes; the entity stays the description of the table.
 */
export class SqliteRows<T extends ObjectLiteral> {
  private readonly columns: readonly ColumnMetadata[];
  private readonly selectText: string;
  private readonly upsertText: string;
  private statements: { db: Database; select: Statement<[unknown]>; upsert: Statement<unknown[]> } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<T>,
  ) {
    const metadata = dataSource.getMetadata(entity);
    const [key, ...more] = metadata.primaryColumns;
    if (key === undefined || more.length > 0 || metadata.columns.some((column) => column.embeddedMetadata)) {
      throw new Error(`SqliteRows needs one primary column and no embedded ones (${metadata.name})`);
    }
    this.columns = metadata.columns;
    const names = this.columns.map((column) => `"${column.databaseName}"`);
    const table = `"${metadata.tableName}"`;
    this.selectText = `SELECT ${names.join(', ')} FROM ${table} WHERE "${key.databaseName}" = ?`;
    const updates = this.columns
      .filter((column) => column !== key)
      .map((column) => `"${column.databaseName}" = excluded."${column.databaseName}"`);
    this.upsertText =
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ` +
      `ON CONFLICT ("${key.databaseName}") DO ` +
      (updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING');
  }

  find(db: Database, key: string): T | undefined {
    const row = this.prepared(db).select.get(key) as Record<string, unknown> | undefined;
    if (row === undefined) return undefined;
    const { driver } = this.dataSource;
    const found: Record<string, unknown> = {};
    for (const column of this.columns) {
      found[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column) as unknown;
    }
    return found as T;
  }

  save(db: Database, row: T): void {
    const { driver } = this.dataSource;
    this.prepared(db).upsert.run(
      this.columns.map((column) => driver.preparePersistentValue(column.getEntityValue(row), column) as unknown),
    );
  }

  private prepared(db: Database) {
    if (this.statements?.db !== db) {
      this.statements = { db, select: db.prepare(this.selectText), upsert: db.prepare(this.upsertText) };
    }
    return this.statements;
  }
}
