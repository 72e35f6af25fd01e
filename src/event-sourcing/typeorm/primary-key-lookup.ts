import type { EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { Transactions } from './transactions';

type ColumnMetadata = EntityMetadata['columns'][number];

interface Waiting {
  keys: string[];
  answers: { resolve: (row: Record<string, unknown> | undefined) => void; reject: (error: unknown) => void }[];
}

/**
 * One entity row by its primary key, for the hottest reads: the statement is prepared once (TypeORM
 * would build the same query on every call, which costs more than running it), and each column is
 * hydrated by TypeORM's own conversions (JSON, bigint transformers), so the result has the properties
 * and values `findOneBy` gives. The entity stays the description of the table.
 *
 * On PostgreSQL, lookups asked for in the same turn of the event loop (concurrent requests) share one
 * statement (`= ANY($1)`), sent at the end of that turn: one round trip, one write to the socket and one
 * result to decode instead of one each, which cost more than the lookups themselves. The statement
 * starts after every lookup it answers was asked for, so each sees what it would have seen alone, or newer.
 */
export class PrimaryKeyLookup<T extends ObjectLiteral> {
  private readonly columns: readonly ColumnMetadata[];
  private readonly name: string;
  private readonly text: string;
  private readonly key: ColumnMetadata;
  private readonly batchText: string;
  private waiting: Waiting | undefined;

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
    this.key = key;
    this.batchText = `SELECT ${selected} FROM "${metadata.tableName}" WHERE "${key.databaseName}" = ANY(?)`;
  }

  async find(key: string): Promise<T | null> {
    const row =
      this.transactions.engine === 'postgres' && !this.transactions.inUnitOfWork
        ? await this.together(key)
        : (await this.transactions.queryPrepared<Record<string, unknown>>(this.name, this.text, [key]))[0];
    if (row === undefined) return null;
    const driver = this.transactions.dataSource.driver;
    const found: Record<string, unknown> = {};
    for (const column of this.columns) {
      found[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column) as unknown;
    }
    return found as T;
  }

  /** Joins the statement this turn of the event loop sends, or starts it. */
  private together(key: string): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve, reject) => {
      if (this.waiting === undefined) {
        this.waiting = { keys: [], answers: [] };
        setImmediate(() => this.send());
      }
      this.waiting.keys.push(key);
      this.waiting.answers.push({ resolve, reject });
    });
  }

  private send(): void {
    const { keys, answers } = this.waiting!;
    this.waiting = undefined;
    const distinct = [...new Set(keys)];
    this.transactions.queryPrepared<Record<string, unknown>>(`${this.name}-any`, this.batchText, [distinct]).then(
      (rows) => {
        const byKey = new Map(rows.map((row) => [String(row[this.key.databaseName]), row]));
        answers.forEach(({ resolve }, index) => resolve(byKey.get(keys[index]!)));
      },
      (error: unknown) => answers.forEach(({ reject }) => reject(error)),
    );
  }
}
