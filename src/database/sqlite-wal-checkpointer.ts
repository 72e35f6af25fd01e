import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL's new pages into the database file. */
const CHECKPOINT_EVERY_MS = 100;

// CommonJS, run by the worker as a script: it opens its own connection, which SQLite allows beside the
// service's one (WAL mode), and a PASSIVE checkpoint never blocks the service's writers.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(error instanceof Error ? error.message : String(error));
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Copies the SQLite write-ahead log into the database file on a thread of its own. Left to itself, SQLite
 * does this inside the commit that takes the WAL past 1,000 pages, with an fsync, on the event loop: about
 * one command in a hundred then waits several milliseconds, and so does every request behind it. With
 * this thread checkpointing every 100 ms the WAL rarely gets there; if the thread fails, SQLite's own
 * checkpoint still runs, as before.
 */
export class SqliteWalCheckpointer {
  private readonly logger = new Logger(SqliteWalCheckpointer.name);
  private readonly worker: Worker;

  constructor(databasePath: string) {
    this.worker = new Worker(CHECKPOINTER, {
      eval: true,
      workerData: { driver: driverPath(), path: databasePath, everyMs: CHECKPOINT_EVERY_MS },
    });
    this.worker.on('message', (message: string) => this.logger.warn(`WAL checkpoint failed: ${message}`));
    this.worker.on('error', (error) =>
      this.logger.warn(`The WAL checkpointer stopped (SQLite checkpoints in commits again): ${error.message}`),
    );
    // The thread must not keep the process alive on its own.
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // Referenced again while it stops: a shutdown awaiting an unreferenced thread would find the event loop
    // empty and exit with 0 before its signal is re-raised.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}

/**
 * Where the worker loads better-sqlite3 from: this module's resolution in the compiled service (CommonJS);
 * under Jest's ESM mode, which has no `require`, the worker resolves it from the working directory.
 */
function driverPath(): string {
  return typeof require === 'function' ? require.resolve('better-sqlite3') : 'better-sqlite3';
}
