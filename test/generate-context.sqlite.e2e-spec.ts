import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = process.cwd();
const SKIPPED = new Set(['node_modules', 'dist', '.git', 'data', 'coverage']);

/** Every file of the copy (node_modules aside) with a hash of its content. */
function snapshot(folder: string, root = folder): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) Object.assign(files, snapshot(path, root));
    else files[relative(root, path)] = createHash('sha1').update(readFileSync(path)).digest('hex');
  }
  return files;
}

/**
 * `npm run generate:context` proven on a copy of this repository: bad names are refused without touching a
 * file, and a generated context type-checks with everything else and passes its own specs, on PostgreSQL
 * too when TEST_DATABASE_URL is set. The copy shares node_modules through a symlink; only the generated
 * specs run (with Prettier, ESLint and the dependency rules on what it wrote), so this stays a few minutes.
 */
describe('npm run generate:context', () => {
  const copy = mkdtempSync(join(tmpdir(), 'ledgerline-generate-'));
  const run = (command: string, args: string[]): SpawnSyncReturns<string> =>
    spawnSync(command, args, { cwd: copy, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 480_000 });
  const generate = (...args: string[]) => run(process.execPath, ['scripts/generate-context.mjs', ...args]);

  beforeAll(() => {
    cpSync(ROOT, copy, { recursive: true, filter: (source) => !SKIPPED.has(relative(ROOT, source).split('/')[0]!) });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it.each([
    [[], /give the name/],
    [['InventoryItem'], /not kebab-case/],
    [['inventory_item'], /not kebab-case/],
    [['inventory--item'], /not kebab-case/],
    [['2nd-item'], /not kebab-case/],
    [['inventory-items'], /looks plural/],
    [['class'], /reserved word/],
    [['event'], /reserved word/],
    [['shopping-cart'], /src\/shopping-carts exists already/],
    [['order'], /src\/orders exists already/],
    [['integrity'], /reserved word|exists already/],
  ])('refuses %p with a clear message and touches no file', (args, message) => {
    const before = snapshot(copy);
    const result = generate(...args);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(snapshot(copy)).toEqual(before);
  });

  it('generates a context that is formatted, lints, keeps the dependency rules, type-checks and passes its specs', () => {
    const generated = generate('stock-item');
    expect({ status: generated.status, stderr: generated.stderr }).toEqual({ status: 0, stderr: '' });
    expect(readFileSync(join(copy, 'src/app.module.ts'), 'utf8')).toContain('StockItemsModule');
    expect(readFileSync(join(copy, 'src/auth/roles.ts'), 'utf8')).toContain("StockItemWrite: 'stock-item:write'");
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain('| `stock-item:write`');

    const typecheck = run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
    expect({ status: typecheck.status, output: typecheck.stdout }).toEqual({ status: 0, output: '' });

    const generatedFiles = ['src/stock-items', 'test/stock-items.e2e-spec.ts'];
    const checks = [
      ['node_modules/prettier/bin/prettier.cjs', '--check', ...generatedFiles, 'src/app.module.ts', 'README.md'],
      ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', ...generatedFiles, 'src/migrations/index.ts'],
      ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs'],
    ];
    for (const check of checks) {
      const result = run(process.execPath, check);
      expect({ check: check[0], status: result.status, output: result.status === 0 ? '' : result.stdout }).toEqual({
        check: check[0],
        status: 0,
        output: '',
      });
    }

    const postgres = process.env.TEST_DATABASE_URL !== undefined;
    const projects = ['unit', 'integration', 'e2e', ...(postgres ? ['integration-pg', 'e2e-pg'] : [])];
    const specs = run(process.execPath, [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      'src/stock-items',
      'test/stock-items.e2e-spec.ts',
      '--selectProjects',
      ...projects,
    ]);
    expect({ status: specs.status, output: specs.status === 0 ? '' : specs.stderr }).toEqual({ status: 0, output: '' });
    expect(specs.stderr).toMatch(/Tests:\s+\d+ passed/);
    expect(specs.stderr).not.toMatch(/\d+ (skipped|failed|todo)/);
  }, 600_000);
});
