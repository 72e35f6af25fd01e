import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** A driver error that names a host and a user, which no response may echo. */
export const DRIVER_SECRET = 'connect ECONNREFUSED 10.1.2.3:5432 as user ledger_admin';

/**
 * Runs `probe` while the health probe's `SELECT 1` fails with DRIVER_SECRET, and returns what was logged
 * at error level meanwhile. Only the probe's query fails: subscriptions poll through the same DataSource,
 * and a one-shot rejection could be spent on one of theirs before the probe runs.
 */
export async function whileProbeQueryFails(dataSource: DataSource, probe: () => Promise<void>): Promise<string> {
  const realQuery = dataSource.query.bind(dataSource);
  const query = jest
    .spyOn(dataSource, 'query')
    .mockImplementation((sql: string, ...rest: unknown[]) =>
      sql === 'SELECT 1' ? Promise.reject(new Error(DRIVER_SECRET)) : realQuery(sql, ...(rest as [])),
    );
  const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  try {
    await probe();
    return logged.mock.calls.flat().join(' ');
  } finally {
    query.mockRestore();
    logged.mockRestore();
  }
}
