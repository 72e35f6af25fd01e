/** Engine differences the hand-written SQL has to bridge. */
export type Engine = 'sqlite' | 'postgres';

/** Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`; SQLite takes them as they are. */
export function sql(engine: Engine, text: string): string {
  if (engine === 'sqlite') return text;
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** JSON columns come back as text from SQLite and parsed from PostgreSQL's jsonb. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** SQLite stores timestamps as ISO-8601 text (sortable); PostgreSQL as timestamptz. */
export function toDbTime(engine: Engine, date: Date): string | Date {
  return engine === 'sqlite' ? date.toISOString() : date;
}

export function fromDbTime(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export interface UniqueConstraint {
  /** The constraint's name, as PostgreSQL reports it. */
  name: string;
  /** `table.column, table.column`, as SQLite reports it. */
  columns: string;
}

/** True when the driver refused a row because of this unique constraint. */
export function isUniqueViolation(error: unknown, constraint: UniqueConstraint): boolean {
  type DriverError = { code?: string; constraint?: string; message?: string };
  // TypeORM wraps the driver's error; statements sent on the driver's own connection throw it bare.
  const driverError = (error as { driverError?: DriverError }).driverError ?? (error as DriverError | undefined);
  if (typeof driverError !== 'object' || driverError === null) return false;
  if (driverError.code === '23505') return driverError.constraint === constraint.name;
  return (
    driverError.code?.startsWith('SQLITE_CONSTRAINT') === true &&
    (driverError.message ?? '').endsWith(`constraint failed: ${constraint.columns}`)
  );
}
