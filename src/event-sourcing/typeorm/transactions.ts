import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { KeyedLock } from '../async-lock';

/**
 * Runs database work with the isolation each engine needs.
 *
 * TypeORM drives SQLite through one connection and turns a transaction started while another is open
 * into a savepoint of it, so two concurrent requests would silently share a transaction. Here every
 * SQLite unit of work (reads included, which would otherwise see another unit's uncommitted rows) waits
 * its turn. PostgreSQL gets a pooled connection per transaction and needs no such queue.
 */
@Injectable()
export class Transactions {
  private readonly lock = new KeyedLock();
  private readonly serial: boolean;

  constructor(readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'better-sqlite3';
  }

  get engine(): 'sqlite' | 'postgres' {
    return this.serial ? 'sqlite' : 'postgres';
  }

  /** Runs `work` in one transaction: everything it writes commits together or not at all. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const transaction = () => this.dataSource.transaction(work);
    return this.serial ? this.lock.run('db', transaction) : transaction();
  }

  /** Runs read-only `work` against committed data. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const read = () => work(this.dataSource.manager);
    return this.serial ? this.lock.run('db', read) : read();
  }
}
