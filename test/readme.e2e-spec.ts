import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestApp, TestApp } from './support/test-app';

/** The first bash block after the heading, as the README has it. */
function bashBlockAfter(readme: string, heading: string): string {
  const start = readme.indexOf('```bash\n', readme.indexOf(heading));
  return readme.slice(start + '```bash\n'.length, readme.indexOf('```', start + 1));
}

/**
 * Runs a README block as a reader pastes it, against `url` instead of localhost:3000. curl reports
 * each answer's status on stderr, so nothing of what the block prints changes.
 */
function runBlock(block: string, url: string): Promise<{ statuses: string[]; stdout: string }> {
  const script =
    'set -e\ncurl() { command curl -w \'%{stderr}%{http_code} %{method} %{url_effective}\\n\' "$@"; }\n' +
    block.replaceAll('localhost:3000', url.replace('http://', ''));
  return new Promise((resolve, reject) =>
    execFile('bash', ['-c', script], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve({ statuses: stderr.split('\n').filter((line) => /^\d{3} /.test(line)), stdout });
    }),
  );
}

describe("the README's curl walkthrough", () => {
  let test: TestApp;
  const readme = readFileSync('README.md', 'utf8');
  const walkthrough =
    bashBlockAfter(readme, "## A cart's life, with curl") +
    bashBlockAfter(readme, '## Orders, the checkout saga, the feed and the admin routes');

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it.each([['the first time'], ['again, on the same database']])('succeeds %s', async () => {
    const { statuses, stdout } = await runBlock(walkthrough, test.url);
    const refused = statuses.filter((status) => !status.startsWith('2'));
    // The last command shows that a shipped order cannot be cancelled.
    expect({ refused, stdout }).toEqual({ refused: [expect.stringMatching(/^422 POST .*\/cancellation$/)], stdout });
    expect(stdout).toContain('"status":"shipped"');
  });
});
