/**
 * `npm run bench`: runs the benchmarks one after another, each measurement in its own child
 * process on a fresh temp SQLite file, then prints one table and one JSON line.
 *
 * Environment: BENCH_RUNS (3), BENCH_ONLY (comma-separated: append,append-pg,command,load,catch-up,http,
 * live-feed), BENCH_CATCHUP_EVENTS (1,000,000), BENCH_CATCHUP_RUNS, BENCH_CATCHUP_MAX_SECONDS (0 = no limit),
 * BENCH_APPEND_EVENTS, BENCH_COMMAND_CARTS, BENCH_HTTP_SECONDS, BENCH_READ_AFTER_WRITE, BENCH_LIVE_READERS,
 * BENCH_LIVE_SECONDS; for append-pg BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test),
 * BENCH_PG_CLIENTS (32), BENCH_PG_SECONDS (12).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { intEnv } from './lib/child';
import { Figure, json, table } from './lib/report';
import { since } from './lib/stats';
import { catchUp } from './catch-up-suite';
import * as suites from './suites';

const SUITES: Record<string, (shared: suites.Shared) => Promise<Figure[]>> = {
  append: suites.append,
  'append-pg': suites.appendPostgres,
  command: suites.command,
  load: suites.load,
  'catch-up': catchUp,
  http: suites.http,
  'live-feed': suites.liveFeed,
};

/** The commit measured, marked "+changes" when src/ differs from it (read-only git queries). */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: 'pipe' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? '+changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(name in SUITES)) ?? [];
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
  };
  const date = new Date().toISOString();
  const commit = revision();
  const runs = intEnv('BENCH_RUNS', 3);
  const header =
    `Ledgerline benchmarks at ${commit}, ${date}: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, ` +
    `Node ${machine.node}, Linux ${machine.kernel}; median of ${runs} runs, each in a fresh process and database`;
  process.stderr.write(`${header}\n`);

  const started = performance.now();
  const loadBefore = Number((loadavg()[0] ?? NaN).toFixed(2));
  const shared: suites.Shared = {};
  const figures: Figure[] = [];
  let failed = false;
  for (const [name, suite] of Object.entries(SUITES)) {
    if (only && !only.includes(name)) continue;
    process.stderr.write(`▶ ${name}\n`);
    try {
      figures.push(...(await suite(shared)));
    } catch (error) {
      // One broken benchmark (e.g. src mid-change) must not hide the others' figures.
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name} failed: ${message}\n`);
      figures.push({ name: `${name}: FAILED`, unit: '', values: [], note: message.split('\n')[0] });
    }
  }
  const minutes = since(started) / 60_000;
  // Other work on a 2-core machine skews every figure: show how busy it was around the run.
  const load = { before: loadBefore, after: Number((loadavg()[0] ?? NaN).toFixed(2)) };
  const footer = `took ${minutes.toFixed(1)} min; 1-min load average ${load.before} before, ${load.after} after`;
  process.stdout.write(`\n${header}; ${footer}\n\n${table(figures)}\n\n`);
  const summary = { date, commit, machine, runs, minutes: Number(minutes.toFixed(2)), loadAverage: load };
  process.stdout.write(`${JSON.stringify({ ...summary, figures: json(figures) })}\n`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
