/**
 * True when an error means the database could not do the work right now (SQLite's lock wait ran out,
 * PostgreSQL is down, restarting or out of connections), as opposed to refusing it: the client should
 * retry later, and nothing was written.
 */
const CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
  '55P03', // lock_not_available (lock_timeout)
]);

const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /terminating connection/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
];

/** The database did not answer a check. Its cause is logged where it happened: a client sees a fixed sentence. */
export class DatabaseUnavailable extends Error {
  constructor() {
    super('The database did not answer');
    this.name = 'DatabaseUnavailable';
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailable) return true;
  // Not `instanceof`: native driver errors may come from another realm (Jest's VM contexts, for one).
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth += 1) {
    const { code, message, driverError, cause } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (CODES.has(code) || /^SQLITE_(BUSY|LOCKED)/.test(code))) return true;
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = driverError ?? cause;
  }
  return false;
}
