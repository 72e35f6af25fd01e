import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';

const heldBackLogs = () => (globalThis as { heldBackLogs?: { print(): void } }).heldBackLogs;

describe('the test harness', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("holds back what Nest logs during a test, so a passing test's expected errors print nothing", () => {
    const written = jest.spyOn(process.stderr, 'write');
    new Logger('Harness').error('an expected error', new Error('expected').stack);
    expect(written).not.toHaveBeenCalled();
  });

  it('prints what it held back when the test fails', () => {
    const written = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    new Logger('Harness').error('an unexpected error');
    // What test/support/quiet-environment.mjs does when a test fails.
    heldBackLogs()?.print();
    expect(written).toHaveBeenCalledWith(expect.stringContaining('an unexpected error'));
  });

  it('says so when the PostgreSQL runs are skipped for want of TEST_DATABASE_URL', async () => {
    const { TEST_DATABASE_URL: _url, ...env } = process.env;
    const stderr = await new Promise<string>((resolve) =>
      execFile(process.execPath, ['-e', "import('./jest.config.mjs')"], { env }, (_error, _stdout, stderr) =>
        resolve(stderr),
      ),
    );
    expect(stderr).toMatch(/TEST_DATABASE_URL is not set.*skipped/);
  });
});
