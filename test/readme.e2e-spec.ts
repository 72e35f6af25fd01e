import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

/** The first bash block after the heading, as the README has it. */
function bashBlockAfter(readme: string, heading: string): string {
  const start = readme.indexOf('```bash\n', readme.indexOf(heading));
  return readme.slice(start + '```bash\n'.length, readme.indexOf('```', start + 1));
}

/**
 * Runs a README block as a reader pastes it, against `url` instead of localhost:3000. curl reports
 * each answer's status on stderr, so nothing of what the block prints changes; whatever the block
 * started in the background is stopped at the end.
 */
function runBlock(
  block: string,
  url: string,
  env: Record<string, string> = {},
): Promise<{ statuses: string[]; stdout: string }> {
  const script =
    "set -e\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" +
    'curl() { command curl -w \'%{stderr}%{http_code} %{method} %{url_effective}\\n\' "$@"; }\n' +
    block.replaceAll('localhost:3000', url.replace('http://', ''));
  return new Promise((resolve, reject) =>
    execFile('bash', ['-c', script], { timeout: 50_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve({ statuses: stderr.split('\n').filter((line) => /^\d{3} /.test(line)), stdout });
    }),
  );
}

describe("the README's examples", () => {
  const readme = readFileSync('README.md', 'utf8');

  describe('the curl walkthrough', () => {
    let test: TestApp;
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

  it('starts the service with AUTH_MODE=jwt and calls it with a token, in one block', async () => {
    // The built service rather than `npm start`, whose build would replace dist/ under the other tests.
    const block = bashBlockAfter(readme, '## Security: tokens, roles and limits').replace(
      'npm start',
      'node dist/src/main.js',
    );
    const folder = mkdtempSync(join(tmpdir(), 'ledgerline-readme-'));
    const port = String(20000 + Math.floor(Math.random() * 20000));
    try {
      const { statuses } = await runBlock(block, `http://127.0.0.1:${port}`, {
        PORT: port,
        DATABASE_TYPE: 'sqlite',
        DATABASE_PATH: join(folder, 'jwt.sqlite'),
        AUTH_JWT_SECRET: '',
      });
      expect(statuses.filter((status) => !status.includes('/health'))).toEqual([
        expect.stringMatching(/^201 POST .*\/carts$/),
        expect.stringMatching(/^401 POST .*\/carts$/),
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
