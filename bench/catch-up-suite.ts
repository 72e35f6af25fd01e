/**
 * Benchmark 4 as seen from the parent: seed the log once, then per run rebuild it in the app and in the
 * raw ceiling, each on a fresh copy. The parent follows the app's progress through the stored
 * checkpoint, because the child's own event loop may be busy for the whole catch-up.
 */
import Database from 'better-sqlite3';
import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CART_DETAILS } from '../src/shopping-carts/read-models/cart-details/cart-details.projection';
import { intEnv, Metrics, runChild, vmHwmMb, Watch } from './lib/child';
import { Figure } from './lib/report';
import { pick, RUNS, status } from './lib/runs';
import { since } from './lib/stats';
import { checkpointIn, copyDatabase, RawDatabase, removeFolder, tempFolder } from './lib/sqlite';

const EVENTS = intEnv('BENCH_CATCHUP_EVENTS', 1_000_000);
const MAX_MS = intEnv('BENCH_CATCHUP_MAX_SECONDS', 0) * 1000 || Infinity;
/** A rebuild slower than this is measured once, not three times over many minutes. */
const SLOW_RUN_MS = 60_000;

/**
 * Follows the app child through its stored checkpoint every 100 ms: notes when cart-details reaches the
 * head, prints progress every 10 s, and at the time limit stops the child with the rate and RSS so far.
 */
class AppWatch implements Watch {
  readonly everyMs = 100;
  doneAtMs: number | undefined;
  private lastProgressMs = 0;
  private readonly db: RawDatabase;

  constructor(path: string) {
    this.db = new Database(path, { timeout: 5000 });
  }

  tick(child: ChildProcess, elapsedMs: number): Metrics | undefined {
    if (this.doneAtMs !== undefined) return undefined;
    const at = checkpointIn(this.db, CART_DETAILS);
    if (at >= EVENTS) this.doneAtMs = elapsedMs;
    const eventsPerSecond = at / (elapsedMs / 1000);
    if (elapsedMs >= MAX_MS) return { eventsPerSecond, complete: 0, peakRssMb: vmHwmMb(child.pid) };
    if (elapsedMs - this.lastProgressMs >= 10_000 || at >= EVENTS) {
      this.lastProgressMs = elapsedMs;
      const rss = vmHwmMb(child.pid).toFixed(0);
      status(`  … app: ${at.toLocaleString('en')} of ${EVENTS.toLocaleString('en')} events, peak RSS ${rss} MB`);
    }
    return undefined;
  }

  close(): void {
    this.db.close();
  }
}

/** Runs a catch-up child on a fresh copy of the seeded log. */
async function onCopy(seedPath: string, mode: 'app' | 'raw'): Promise<Metrics> {
  const folder = tempFolder();
  const path = copyDatabase(seedPath, folder);
  const env = { DATABASE_PATH: path };
  try {
    if (mode === 'raw') return await runChild('catch-up', ['--mode=raw'], env);
    const watch = new AppWatch(path);
    try {
      const metrics = await runChild('catch-up', ['--mode=app'], env, watch);
      if (metrics.complete === 0) return metrics;
      // From app start to the stored head, both in the child's clock (the runner yields between batches,
      // so the child sees the head as soon as it is stored); the parent's sample is the fallback.
      const rebuildMs = (metrics.doneMs ?? watch.doneAtMs ?? NaN) - (metrics.appStartMs ?? NaN);
      return { ...metrics, eventsPerSecond: EVENTS / (rebuildMs / 1000), complete: 1 };
    } finally {
      watch.close();
    }
  } finally {
    removeFolder(folder);
  }
}

export async function catchUp(): Promise<Figure[]> {
  const forcedRuns = process.env.BENCH_CATCHUP_RUNS !== undefined;
  const runs = intEnv('BENCH_CATCHUP_RUNS', RUNS);
  const seedFolder = tempFolder();
  try {
    const seedPath = join(seedFolder, 'seed.sqlite');
    const seeded = await runChild('catch-up', ['--mode=seed'], { DATABASE_PATH: seedPath });
    status(
      `catch-up: ${EVENTS.toLocaleString('en')} events seeded at ${Math.round(seeded.seedEventsPerSecond ?? NaN)}/s`,
    );
    const app: Metrics[] = [];
    const raw: Metrics[] = [];
    let note: string | undefined;
    for (let run = 1; run <= runs; run += 1) {
      const start = performance.now();
      app.push(await onCopy(seedPath, 'app'));
      const appMs = since(start);
      raw.push(await onCopy(seedPath, 'raw'));
      status(
        `catch-up run ${run}/${runs}: app child ${(appMs / 1000).toFixed(0)} s, rebuild at ${Math.round(app.at(-1)?.eventsPerSecond ?? 0)}/s`,
      );
      if (appMs > SLOW_RUN_MS && run < runs && !forcedRuns) {
        note = `1 run only: the app run took ${(appMs / 1000).toFixed(0)} s (BENCH_CATCHUP_RUNS=${RUNS} forces ${RUNS})`;
        break;
      }
    }
    const partial = [...app, ...raw].some((metrics) => metrics.complete === 0);
    const partialNote = 'stopped at BENCH_CATCHUP_MAX_SECONDS before the head: partial figure';
    if (partial) note = `${note ? `${note}; ` : ''}${partialNote}`;
    return [
      {
        name: `catch-up: cart-details over ${EVENTS.toLocaleString('en')} events`,
        unit: 'events/s',
        values: pick(app, 'eventsPerSecond'),
        ceiling: { name: 'raw replay', values: pick(raw, 'eventsPerSecond') },
        target: { on: 'value', op: '>=', limit: 20_000 },
        note,
      },
      {
        name: 'catch-up: peak RSS of the app',
        unit: 'MB',
        values: pick(app, 'peakRssMb'),
        target: { on: 'value', op: '<', limit: 300 },
        note: partial ? partialNote : undefined,
      },
      { name: 'catch-up: RSS of the app just after start', unit: 'MB', values: pick(app, 'startupRssMb') },
    ];
  } finally {
    removeFolder(seedFolder);
  }
}
