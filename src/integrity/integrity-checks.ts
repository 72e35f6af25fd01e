import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { fromDbTime, parseJson, sql, toDbTime } from '../event-sourcing/typeorm/sql';
import { Transactions } from '../event-sourcing/typeorm/transactions';
import { IntegrityReport, IntegrityVerifier } from './integrity-verifier';

export type IntegrityCheckStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface IntegrityCheck {
  id: string;
  status: IntegrityCheckStatus;
  requestedAt: Date;
  finishedAt: Date | null;
  /** So far while running; the totals once done. */
  streamsChecked: number;
  eventsChecked: number;
  /** Once done. */
  report: IntegrityReport | null;
  /** Why it failed (the database stopped answering, for one). */
  error: string | null;
}

/** A running check writes its progress at least this often; one silent for longer died with its instance. */
const PROGRESS_EVERY_MS = 1000;
const ABANDONED_AFTER_MS = 60_000;

interface Row {
  id: string;
  status: IntegrityCheckStatus;
  requested_at: unknown;
  updated_at: unknown;
  finished_at: unknown;
  streams_checked: number | string;
  events_checked: number | string;
  report: unknown;
  error: string | null;
}

/**
 * Checks of the whole log's hash chains as background jobs: a full scan takes as long as the log is big,
 * longer than a request should stay open (a load balancer's timeout, or a shutdown's drain, would cut it).
 * Each check is a row in `integrity_checks`, so any instance answers its poll; it runs in the instance
 * that accepted it, writing its progress between pages. On shutdown a running check stops between pages
 * and is marked interrupted; one whose instance died is reported interrupted once its progress is stale.
 */
@Injectable()
export class IntegrityChecks implements BeforeApplicationShutdown {
  private readonly logger = new Logger(IntegrityChecks.name);
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly verifier: IntegrityVerifier,
    private readonly transactions: Transactions,
  ) {}

  /** Stores a new check and starts it in the background; resolves with its id once stored. */
  async start(): Promise<string> {
    const id = randomUUID();
    const now = toDbTime(this.transactions.engine, new Date());
    await this.transactions.write((manager) =>
      manager.query(
        sql(
          this.transactions.engine,
          "INSERT INTO integrity_checks (id, status, requested_at, updated_at) VALUES (?, 'running', ?, ?)",
        ),
        [id, now, now],
      ),
    );
    const abort = new AbortController();
    const done = this.run(id, abort.signal).finally(() => this.running.delete(id));
    this.running.set(id, { abort, done });
    return id;
  }

  async find(id: string): Promise<IntegrityCheck | undefined> {
    const [row] = await this.transactions.read((manager) =>
      manager.query<Row[]>(sql(this.transactions.engine, 'SELECT * FROM integrity_checks WHERE id = ?'), [id]),
    );
    if (row === undefined) return undefined;
    const stale = Date.now() - fromDbTime(row.updated_at).getTime() > ABANDONED_AFTER_MS;
    return {
      id: row.id,
      status: row.status === 'running' && stale && !this.running.has(row.id) ? 'interrupted' : row.status,
      requestedAt: fromDbTime(row.requested_at),
      finishedAt: row.finished_at === null ? null : fromDbTime(row.finished_at),
      streamsChecked: Number(row.streams_checked),
      eventsChecked: Number(row.events_checked),
      report: row.report === null ? null : parseJson<IntegrityReport>(row.report),
      error: row.error,
    };
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort(new Error('the service shut down'));
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }

  private async run(id: string, signal: AbortSignal): Promise<void> {
    let reported = Date.now();
    try {
      const report = await this.verifier.verify({
        signal,
        onPage: async (progress) => {
          if (Date.now() - reported < PROGRESS_EVERY_MS) return;
          reported = Date.now();
          await this.update(id, 'running', progress);
        },
      });
      await this.update(id, 'done', report, report);
    } catch (error) {
      const interrupted = signal.aborted;
      // The driver's message can name hosts and users: the log gets it, the check's record a fixed sentence.
      if (!interrupted) this.logger.error(`Integrity check ${id} failed: ${String(error)}`);
      const reason = interrupted
        ? 'The service shut down before the check finished; start another'
        : 'The check stopped on an error (see the service log); start another';
      await this.update(id, interrupted ? 'interrupted' : 'failed', undefined, undefined, reason).catch(
        (cause: unknown) => this.logger.error(`Could not record the end of integrity check ${id}: ${String(cause)}`),
      );
    }
  }

  private update(
    id: string,
    status: IntegrityCheckStatus,
    progress?: { streamsChecked: number; eventsChecked: number },
    report?: IntegrityReport,
    error?: string,
  ): Promise<unknown> {
    const engine = this.transactions.engine;
    const now = toDbTime(engine, new Date());
    const finished = status === 'running' ? null : now;
    return this.transactions.write((manager) =>
      manager.query(
        sql(
          engine,
          `UPDATE integrity_checks SET status = ?, updated_at = ?, finished_at = ?,
             streams_checked = COALESCE(?, streams_checked), events_checked = COALESCE(?, events_checked),
             report = ?, error = ?
           WHERE id = ?`,
        ),
        [
          status,
          now,
          finished,
          progress?.streamsChecked ?? null,
          progress?.eventsChecked ?? null,
          report === undefined ? null : JSON.stringify(report),
          error ?? null,
          id,
        ],
      ),
    );
  }
}
