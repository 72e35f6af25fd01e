import { Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { KeyedLock } from '../async-lock';
import { sql } from './sql';

/**
 * Runs database work with the isolation each engine needs.
 *
 * TypeORM drives SQLite through one connection and turns a transaction started while another is open
 * into a savepoint of it, so two concurrent requests would silently share a transaction. Here every
 * SQLite unit of work (reads included, which would otherwise see another unit's uncommitted rows) waits
 * its turn. PostgreSQL gets a pooled connection per transaction and needs no such queue.
 *
 * Work started from inside a unit of work joins it instead of queueing behind it (which would deadlock).
 */
interface Unit {
  manager: EntityManager;
  transactional: boolean;
}

@Injectable()
export class Transactions {
  private readonly lock = new KeyedLock();
  private readonly current = new AsyncLocalStorage<Unit>();
  /** Units of work running now (several at once on PostgreSQL). */
  private open = 0;
  private readonly serial: boolean;
  private statements: { db: Database; byText: Map<string, Statement> } | undefined;
  /** writeSqlite units waiting to commit together. */
  private group: {
    work: (db: Database) => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }[] = [];
  /** Prepared SQLite reads waiting for the open transaction to end. */
  private waitingReads: (() => void)[] = [];

  constructor(readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'better-sqlite3';
  }

  get engine(): 'sqlite' | 'postgres' {
    return this.serial ? 'sqlite' : 'postgres';
  }

  /** Runs `work` in one transaction: everything it writes commits together or not at all. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer?.transactional) return work(outer.manager);
    const transaction = () =>
      this.dataSource
        .transaction((manager) => this.within({ manager, transactional: true }, () => work(manager)))
        .finally(() => this.runWaitingReads());
    // Inside a read, this context already holds the SQLite queue.
    return this.serial && outer === undefined ? this.lock.run('db', transaction) : transaction();
  }

  /**
   * SQLite only: runs `work` synchronously on the driver's own connection in one transaction (a savepoint
   * inside an open unit of work), in its turn with every other unit of work. For hot paths where
   * TypeORM's per-statement overhead costs more than the statements themselves.
   *
   * Such units that queue up while the connection is busy commit together (group commit): each in a
   * savepoint of its own, so a failing one rolls back alone and the rest still commit, and each learns its
   * outcome only once the commit is done. A commit writes every page it touched to the WAL, so under load
   * one commit for many appends and projection batches costs far less than one each.
   */
  writeSqlite<T>(work: (db: Database) => T): Promise<T> {
    const db = this.sqliteConnection();
    if (this.current.getStore() !== undefined) return Promise.resolve().then(() => db.transaction(work)(db));
    return new Promise<T>((resolve, reject) => {
      this.group.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.group.length === 1) void this.lock.run('db', () => this.commitGroup(db));
    });
  }

  private commitGroup(db: Database): Promise<void> {
    const group = this.group;
    this.group = [];
    const outcomes: (() => void)[] = [];
    try {
      db.transaction(() => {
        for (const { work, resolve, reject } of group) {
          try {
            const value = db.transaction(work)(db);
            outcomes.push(() => resolve(value));
          } catch (error) {
            outcomes.push(() => reject(error));
          }
        }
      })();
    } catch (error) {
      for (const { reject } of group) reject(error);
      return Promise.resolve();
    }
    for (const settle of outcomes) settle();
    return Promise.resolve();
  }

  /**
   * PostgreSQL only: runs `work` on a pg connection of the driver's own, for hot statements that want its
   * named prepared statements (TypeORM's query() has none). Inside a unit of work that is the unit's
   * connection, in its transaction; else a pooled one with no transaction of its own, on which each
   * statement commits by itself.
   */
  async onConnection<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const runner = this.current.getStore()?.manager.queryRunner;
    if (runner) return work((await runner.connect()) as PoolClient);
    const client = await (this.dataSource.driver as unknown as { master: Pool }).master.connect();
    // The pool stops listening to a client it hands out, and pg emits 'error' on a connection lost even
    // between statements: unheard, that kills the process. The statement in flight, or the next, fails anyway.
    const lost = () => undefined;
    client.on('error', lost);
    let failure: unknown;
    try {
      return await work(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      client.removeListener('error', lost);
      // A connection that broke mid-statement must not go back to the pool; a refused statement leaves it fine.
      client.release(isDatabaseUnavailable(failure) ? (failure as Error) : undefined);
    }
  }

  /** Whether the caller runs inside a unit of work (whose connection and transaction its statements join). */
  get inUnitOfWork(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Runs read-only `work` against committed data (or, inside a unit of work, against its own). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer) return work(outer.manager);
    const manager = this.dataSource.manager;
    const read = () => this.within({ manager, transactional: false }, () => work(manager));
    return this.serial ? this.lock.run('db', read) : read();
  }

  /**
   * One read-only statement of a hot read path (`?` placeholders), prepared once per connection instead
   * of built by TypeORM on every call. On SQLite it runs at once when no transaction is open on the
   * connection (it then sees committed data only, and nothing can interleave with a synchronous call),
   * else as soon as that transaction ends, before the next queued unit of work begins (its turn in the
   * queue, should that come first); on PostgreSQL as a named statement through TypeORM's pool. Inside a
   * unit of work it runs in that unit.
   */
  queryPrepared<R>(name: string, text: string, values: unknown[]): Promise<R[]> {
    const outer = this.current.getStore();
    if (outer) return outer.manager.query(sql(this.engine, text), values);
    if (!this.serial) {
      const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
      return pool.query({ name, text: sql('postgres', text), values }).then((result) => result.rows as R[]);
    }
    const db = this.sqliteConnection();
    return new Promise<R[]>((resolve, reject) => {
      let done = false;
      const run = () => {
        if (done) return;
        done = true;
        try {
          resolve(this.prepared(db, text).all(...values) as R[]);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      if (!db.inTransaction) return run();
      this.waitingReads.push(run);
      void this.lock.run('db', () => Promise.resolve(run()));
    });
  }

  /**
   * Runs `work` as the current unit of work. The storage is switched off again whenever no unit is open:
   * on Node 20 an enabled AsyncLocalStorage puts hooks on every promise in the process, which cost a
   * measurable share of every request (about 15 % of a read's CPU) even though only units of work need it.
   */
  private async within<T>(unit: Unit, work: () => Promise<T>): Promise<T> {
    this.open += 1;
    try {
      return await this.current.run(unit, work);
    } finally {
      this.open -= 1;
      if (this.open === 0) this.current.disable();
    }
  }

  private runWaitingReads(): void {
    const waiting = this.waitingReads;
    this.waitingReads = [];
    for (const run of waiting) run();
  }

  private sqliteConnection(): Database {
    return (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  }

  private prepared(db: Database, text: string): Statement {
    if (this.statements?.db !== db) this.statements = { db, byText: new Map() };
    let statement = this.statements.byText.get(text);
    if (statement === undefined) {
      statement = db.prepare(text);
      this.statements.byText.set(text, statement);
    }
    return statement;
  }
}
