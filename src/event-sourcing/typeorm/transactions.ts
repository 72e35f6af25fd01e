import { Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { KeyedLock } from '../async-lock';

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
@Injectable()
export class Transactions {
  private readonly lock = new KeyedLock();
  private readonly current = new AsyncLocalStorage<{ manager: EntityManager; transactional: boolean }>();
  private readonly serial: boolean;

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
      this.dataSource.transaction((manager) => this.current.run({ manager, transactional: true }, () => work(manager)));
    // Inside a read, this context already holds the SQLite queue.
    return this.serial && outer === undefined ? this.lock.run('db', transaction) : transaction();
  }

  /**
   * SQLite only: runs `work` synchronously on the driver's own connection in one transaction (a savepoint
   * inside an open unit of work), in its turn with every other unit of work. For hot paths where
   * TypeORM's per-statement overhead costs more than the statements themselves.
   */
  writeSqlite<T>(work: (db: Database) => T): Promise<T> {
    const db = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    const run = () => Promise.resolve().then(() => db.transaction(work)(db));
    return this.current.getStore() === undefined ? this.lock.run('db', run) : run();
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
    let failure: unknown;
    try {
      return await work(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // A connection that broke mid-statement must not go back to the pool; a refused statement leaves it fine.
      client.release(isDatabaseUnavailable(failure) ? (failure as Error) : undefined);
    }
  }

  /** Runs read-only `work` against committed data (or, inside a unit of work, against its own). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer) return work(outer.manager);
    const manager = this.dataSource.manager;
    const read = () => this.current.run({ manager, transactional: false }, () => work(manager));
    return this.serial ? this.lock.run('db', read) : read();
  }
}
