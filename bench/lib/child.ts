import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one benchmark child measured: named numbers (rates, milliseconds, megabytes). */
export type Metrics = Record<string, number>;

/**
 * Watches a running child from the parent, whose event loop stays free even when the child's is
 * blocked: `tick` runs every `everyMs`; when it returns metrics, the child is killed and those count.
 */
export interface Watch {
  everyMs: number;
  tick(child: ChildProcess, elapsedMs: number): Metrics | undefined;
}

/** Runs `<compiled bench>/<script>.js` in a fresh Node process and resolves with the metrics it reports. */
export function runChild(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
  watch?: Watch,
): Promise<Metrics> {
  const child = fork(join(__dirname, '..', `${script}.js`), args, {
    env: { ...process.env, NO_COLOR: '1', ...env },
    // stdout (Nest's logs) is kept for a failure report; stderr carries progress lines and errors live.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const start = performance.now();
  return new Promise((resolve, reject) => {
    let metrics: Metrics | undefined;
    const timer =
      watch &&
      setInterval(() => {
        const stopWith = watch.tick(child, performance.now() - start);
        if (stopWith) {
          metrics = stopWith;
          child.kill('SIGKILL');
        }
      }, watch.everyMs);
    child.on('message', (message) => (metrics = message as Metrics));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (metrics && (code === 0 || signal === 'SIGKILL')) resolve(metrics);
      else
        reject(new Error(`bench/${script} ${args.join(' ')} exited with ${code ?? signal}:\n${output.slice(-4000)}`));
    });
  });
}

/** A process's resident-memory high-water mark (VmHWM), in MB; NaN where there is no /proc. */
export function vmHwmMb(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The entry point of a child: runs `measure`, sends its metrics plus the peak RSS to the parent, exits. */
export function childMain(measure: () => Promise<Metrics>): void {
  measure()
    .then((metrics) => {
      const result: Metrics = { ...metrics, peakRssMb: peakRssMb() };
      // Exit only once the message is flushed; open handles (timers, sockets) must not keep us alive.
      if (process.send) process.send(result, () => process.exit(0));
      else process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}

/** The process's high-water mark of resident memory (getrusage, i.e. VmHWM on Linux), in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** `--name=value` from the command line. */
export function arg(name: string): string {
  const prefix = `--${name}=`;
  const found = process.argv.find((value) => value.startsWith(prefix));
  if (found === undefined) throw new Error(`missing ${prefix}…`);
  return found.slice(prefix.length);
}

/** A positive integer from the environment, so each size can be overridden without editing code. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

/** A progress line on stderr, which the parent passes through while it waits. */
export function progress(message: string): void {
  process.stderr.write(`    … ${message}\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `count` tasks with at most `concurrency` in flight, like concurrent requests to a server. */
export async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
