import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { KeyedLock } from '../async-lock';
import { Transactions } from './transactions';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

const RECONNECT_DELAY_MS = 1000;
/** At most one wake-up per this long: under load a NOTIFY per append costs the appends a fifth of their rate. */
const ANNOUNCE_INTERVAL_MS = 10;

/**
 * What several service instances on one PostgreSQL database need from each other: a wake-up when another
 * instance appends (LISTEN/NOTIFY), and one leader per subscription (a session advisory lock on a
 * dedicated connection, released by PostgreSQL the moment that connection or its process dies).
 * On SQLite there is one process, which leads everything and hears only itself.
 */
@Injectable()
export class ClusterCoordinator implements OnApplicationShutdown {
  private readonly logger = new Logger(ClusterCoordinator.name);
  private readonly listeners = new Set<() => void>();
  private readonly held = new Set<string>();
  private readonly queue = new KeyedLock();
  private client: Client | undefined;
  private connecting: Promise<Client | undefined> | undefined;
  private retryAfter = 0;
  private closed = false;
  private announcing = false;
  private announceAgain = false;

  constructor(private readonly transactions: Transactions) {}

  /** The NOTIFY channel of this deployment (one per schema, so deployments do not wake each other). */
  get channel(): string {
    return `ledgerline:${this.options()?.schema ?? 'public'}`;
  }

  /** Calls back when another instance has committed an append (PostgreSQL only). */
  onRemoteAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    void this.connection();
    return () => this.listeners.delete(listener);
  }

  /**
   * Wakes the other instances after a committed append. PostgreSQL keeps notifications in commit order by
   * serialising the commits of the transactions that send them, so the append does not NOTIFY itself; this
   * connection does, committing asynchronously (a lost wake-up only waits for the next poll), and appends
   * that commit while one is on its way, or within ANNOUNCE_INTERVAL_MS of it, share the next.
   */
  announceAppend(): void {
    if (this.transactions.engine === 'sqlite') return;
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    this.announcing = true;
    void this.notify()
      .then(() => sleep(ANNOUNCE_INTERVAL_MS))
      .finally(() => {
        this.announcing = false;
        if (this.announceAgain) {
          this.announceAgain = false;
          this.announceAppend();
        }
      });
  }

  private async notify(): Promise<void> {
    const client = await this.connection();
    if (client === undefined) return;
    try {
      await this.queue.run('client', () =>
        client.query("SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, 'appended')", [this.channel]),
      );
    } catch (error) {
      this.drop(error);
    }
  }

  /** True while this process is the one instance that may process the named subscription. */
  async lead(name: string): Promise<boolean> {
    if (this.transactions.engine === 'sqlite') return true;
    const client = await this.connection();
    if (client === undefined) return false;
    if (this.held.has(name)) return true;
    try {
      // One connection carries every lock, and pg wants its queries one at a time.
      const [row] = await this.queue.run('client', async () => {
        const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
          `${this.channel}:subscription:${name}`,
        ]);
        return result.rows;
      });
      if (row?.locked === true) {
        this.held.add(name);
        this.logger.log(`Leadership gained: this instance now processes subscription ${name}`);
      }
      return row?.locked === true;
    } catch (error) {
      this.drop(error);
      return false;
    }
  }

  /** Whether this process currently holds the named subscription (as of its last lead() call). */
  leads(name: string): boolean {
    return this.transactions.engine === 'sqlite' || this.held.has(name);
  }

  onApplicationShutdown(): Promise<void> {
    return this.release();
  }

  /**
   * Gives up every subscription this instance leads and closes the coordination connection, once the
   * subscriptions have stopped. The other instances are told at once (the same NOTIFY that announces an
   * append wakes their subscriptions, which then try to lead), instead of finding out at their next poll.
   */
  async release(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    const leading = this.held.size;
    this.held.clear();
    if (client === undefined) return;
    try {
      if (leading > 0) {
        // One statement: the locks go first, and the notification is delivered when it commits, after them.
        await this.queue.run('client', () =>
          client.query("SELECT pg_advisory_unlock_all(), pg_notify($1, 'released')", [this.channel]),
        );
      }
    } catch (error) {
      // Closing the connection below releases the locks all the same; the others then take over at a poll.
      this.logger.warn(`Could not announce the release of leadership: ${String(error)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private options(): PostgresConnectionOptions | undefined {
    const options = this.transactions.dataSource.options;
    return options.type === 'postgres' ? options : undefined;
  }

  private connection(): Promise<Client | undefined> {
    const options = this.options();
    if (options === undefined || this.closed) return Promise.resolve(undefined);
    if (this.client !== undefined) return Promise.resolve(this.client);
    if (Date.now() < this.retryAfter) return Promise.resolve(undefined);
    this.connecting ??= this.connect(options).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(options: PostgresConnectionOptions): Promise<Client | undefined> {
    const client = new Client({ connectionString: options.url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      client.on('error', (error) => this.drop(error));
      client.on('end', () => this.drop(new Error('connection ended')));
      client.on('notification', () => {
        for (const listener of this.listeners) listener();
      });
      await client.query(`LISTEN "${this.channel}"`);
      if (this.closed) {
        await client.end();
        return undefined;
      }
      this.client = client;
      return client;
    } catch (error) {
      this.logger.warn(`Cannot reach PostgreSQL for coordination (retrying): ${String(error)}`);
      this.retryAfter = Date.now() + RECONNECT_DELAY_MS;
      await client.end().catch(() => undefined);
      return undefined;
    }
  }

  /** The connection is gone, and with it every lock it held: lead() must win them again. */
  private drop(error: unknown): void {
    if (this.client === undefined) return;
    if (!this.closed) {
      this.logger.warn(`Coordination connection lost: ${String(error)}`);
      if (this.held.size > 0) this.logger.warn(`Leadership lost: subscriptions ${[...this.held].join(', ')}`);
    }
    const client = this.client;
    this.client = undefined;
    this.held.clear();
    this.retryAfter = Date.now() + RECONNECT_DELAY_MS;
    void client.end().catch(() => undefined);
  }
}
