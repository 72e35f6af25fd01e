import type { EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { Transactions } from './transactions';

type ColumnMetadata = EntityMetadata['columns'][number];

/**
 * One entity row by its primary key, for the hottest reads: the statement is prepared once (TypeORM
 * would build the same query on every call, which costs more than running it), and each column is
 * hydrated by TypeORM's own conversions (JSON, bigint transformers), so the result has the properties
 * and values `findOneBy` gives. The entity stays the description of the table.
 */
export class PrimaryKeyLookup<T extends ObjectLiteral> {
  private readonly columns: readonly ColumnMetadata[];
  private readonly name: string;
  private readonly text: string;

  constructor(
    private readonly transactions: Transactions,
    entity: EntityTarget<T>,
  ) {
    const metadata = transactions.dataSource.getMetadata(entity);
    const [key, ...more] = metadata.primaryColumns;
    if (key === undefined || more.length > 0 || metadata.columns.some((column) => column.embeddedMetadata)) {
      throw new Error(`PrimaryKeyLookup needs one primary column and no embedded ones (${metadata.name})`);
    }
    this.columns = metadata.columns;
    const selected = this.columns.map((column) => `"${column.databaseName}"`).join(', ');
    // Unqualified: on PostgreSQL the connection's search_path names the configured schema.
    this.text = `SELECT ${selected} FROM "${metadata.tableName}" WHERE "${key.databaseName}" = ?`;
    this.name = `ledgerline-find-${metadata.tableName}`;
  }

  async find(key: string): Promise<T | null> {
    const [row] = await this.transactions.queryPrepared<Record<string, unknown>>(this.name, this.text, [key]);
    if (row === undefined) return null;
    const driver = this.transactions.dataSource.driver;
    const found: Record<string, unknown> = {};
    for (const column of this.columns) {
      found[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column) as unknown;
    }
    return found as T;
  }
}
