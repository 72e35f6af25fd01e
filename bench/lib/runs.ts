/** Repetition and bookkeeping shared by the parent's benchmark suites. */
import { intEnv, Metrics } from './child';
import { since } from './stats';
import { removeFolder, tempFolder } from './sqlite';

/** Runs per figure; each figure is reported as the median with its min and max. */
export const RUNS = intEnv('BENCH_RUNS', 3);

/** One metric across runs, NaN where a run did not report it. */
export const pick = (runs: Metrics[], key: string) => runs.map((metrics) => metrics[key] ?? NaN);

/** A line on stderr while the benchmarks run; stdout keeps only the table and the JSON line. */
export function status(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** Runs `each` RUNS times, each on a fresh temp folder that is deleted afterwards. */
export async function repeat<T>(label: string, each: (folder: string) => Promise<T>, runs = RUNS): Promise<T[]> {
  const results: T[] = [];
  for (let run = 1; run <= runs; run += 1) {
    const folder = tempFolder();
    try {
      const start = performance.now();
      results.push(await each(folder));
      status(`${label} run ${run}/${runs} done in ${(since(start) / 1000).toFixed(1)} s`);
    } finally {
      removeFolder(folder);
    }
  }
  return results;
}
