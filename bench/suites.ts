/**
 * The benchmarks as seen from the parent (catch-up has its own file): which children to start, on which
 * fresh database, how many times, and how their metrics become figures with ceilings and targets.
 */
import { join } from 'node:path';
import { intEnv, Metrics, runChild } from './lib/child';
import { startServer } from './lib/http';
import { BENCH_DATABASE_URL, newSchema, postgresMissing, sql } from './lib/postgres';
import { Figure } from './lib/report';
import { pick, repeat, status } from './lib/runs';
import { copyDatabase, removeFolder, tempFolder } from './lib/sqlite';

/** The compiled output's root (bench/ and src/ side by side), wherever tsconfig.bench.json put it. */
const OUT = join(__dirname, '..');

/** Ceilings one benchmark measures and a later one reuses, from the same `npm run bench`. */
export interface Shared {
  rawAppendsPerSecond?: number[];
}

export async function append(shared: Shared): Promise<Figure[]> {
  const runs = await repeat('append', async () => ({
    raw: await runChild('append', ['--mode=raw']),
    store: await runChild('append', ['--mode=store']),
  }));
  const raw = runs.map((run) => run.raw);
  const store = runs.map((run) => run.store);
  shared.rawAppendsPerSecond = pick(raw, 'eventsPerSecond');
  return [
    {
      name: 'append: EventStore.append, 1 event',
      unit: 'events/s',
      values: pick(store, 'eventsPerSecond'),
      ceiling: { name: 'raw', values: shared.rawAppendsPerSecond },
      target: { on: 'ratio', op: '>=', limit: 0.8 },
      rssMb: pick(store, 'peakRssMb'),
    },
  ];
}

/**
 * EventStore.append on PostgreSQL from 32 concurrent appenders against pgbench's one-row INSERT
 * transactions into the same table at the same concurrency, both in each run. Skipped, with the reason
 * as a note, where pgbench or the database is missing.
 */
export async function appendPostgres(): Promise<Figure[]> {
  const name = 'append (PostgreSQL): EventStore.append, 32 appenders, new streams';
  const missing = await postgresMissing();
  if (missing !== undefined) return [{ name, unit: 'events/s', values: [], note: `skipped: ${missing}` }];
  const runs = await repeat('append (PostgreSQL)', async (folder) => {
    const schema = newSchema();
    try {
      const env = {
        DATABASE_TYPE: 'postgres',
        DATABASE_URL: BENCH_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        DATABASE_POOL_SIZE: String(intEnv('BENCH_PG_CLIENTS', 32)),
      };
      return await runChild('append-pg', [`--schema=${schema}`, `--folder=${folder}`], env);
    } finally {
      await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
  return [
    {
      name,
      unit: 'events/s',
      values: pick(runs, 'newStreamsPerSecond'),
      ceiling: { name: 'pgbench', values: pick(runs, 'pgbenchTps') },
      target: { on: 'ratio', op: '>=', limit: 0.6 },
      rssMb: pick(runs, 'peakRssMb'),
    },
    {
      name: 'append (PostgreSQL): same, existing streams',
      unit: 'events/s',
      values: pick(runs, 'existingStreamsPerSecond'),
      ceiling: { name: 'pgbench', values: pick(runs, 'pgbenchTps') },
    },
    { name: "append (PostgreSQL): the app's share of one core", unit: '×', values: pick(runs, 'appCpuShare') },
  ];
}

export async function command(shared: Shared): Promise<Figure[]> {
  const seedFolder = tempFolder();
  try {
    const seedPath = join(seedFolder, 'seed.sqlite');
    const seeded = await runChild('command', ['--mode=seed'], { DATABASE_PATH: seedPath });
    status(`command: carts seeded through the CommandBus at ${Math.round(seeded.seedCommandsPerSecond ?? NaN)}/s`);
    const runs = await repeat('command', (folder) =>
      runChild('command', ['--mode=measure'], { DATABASE_PATH: copyDatabase(seedPath, folder) }),
    );
    const ceiling = shared.rawAppendsPerSecond && { name: 'raw appends', values: shared.rawAppendsPerSecond };
    return [
      {
        name: 'command: add-item via CommandBus',
        unit: 'cmd/s',
        values: pick(runs, 'commandsPerSecond'),
        ceiling,
        rssMb: pick(runs, 'peakRssMb'),
      },
      {
        name: 'command: same, until read models caught up',
        unit: 'cmd/s',
        values: pick(runs, 'withReadModelsPerSecond'),
        ceiling,
        target: { on: 'value', op: '>=', limit: 5_000 },
      },
      {
        name: 'command: CPU per command, read models included',
        unit: 'ms',
        values: pick(runs, 'cpuPerCommandMs'),
      },
      {
        name: 'command: refused remove-item (rule violation)',
        unit: 'cmd/s',
        values: pick(runs, 'refusalsPerSecond'),
      },
    ];
  } finally {
    removeFolder(seedFolder);
  }
}

export async function load(): Promise<Figure[]> {
  const runs = await repeat('load', (folder) => runChild('load', [], { DATABASE_PATH: join(folder, 'load.sqlite') }));
  const figures: Figure[] = [10, 1_000, 100_000].map((events) => ({
    name: `load: ${events.toLocaleString('en')} events`,
    unit: 'ms',
    values: pick(runs, `load${events}Ms`),
    ceiling: { name: 'raw read', values: pick(runs, `raw${events}Ms`) },
    higherIsBetter: false,
    rssMb: pick(runs, 'peakRssMb'),
  }));
  const load10 = pick(runs, 'load10Ms');
  const snapshot = pick(runs, 'load100000SnapshotMs');
  const missing = snapshot.every((value) => Number.isNaN(value));
  const hook = 'AggregateRepository.snapshot(type, id) storing the aggregate at its current version, used by load()';
  figures.push(
    {
      name: 'load: 100,000 ÷ 10 events, no snapshot',
      unit: '×',
      values: pick(runs, 'load100000Ms').map((value, i) => value / (load10[i] ?? NaN)),
    },
    {
      name: 'load: 100,000 events, with snapshot',
      unit: 'ms',
      values: snapshot,
      higherIsBetter: false,
      note: missing ? `not available: src has no snapshots yet; the harness calls ${hook}` : undefined,
    },
    {
      name: 'load: 100,000 with snapshot ÷ 10 events',
      unit: '×',
      values: snapshot.map((value, i) => value / (load10[i] ?? NaN)),
      target: { on: 'value', op: '<=', limit: 2 },
      note: missing ? 'not available until snapshots exist (target for later)' : undefined,
    },
  );
  return figures;
}

/** Starts the service with `env`, drives http-load's service target against it and stops it. */
async function driveService(env: Record<string, string>): Promise<Metrics> {
  const server = await startServer(join(OUT, 'src', 'main.js'), env, '/health');
  try {
    const args = ['--target=service', `--url=${server.url}`, `--server-pid=${server.pid}`];
    const service = await runChild('http-load', args).catch((error: Error) => {
      throw new Error(`${error.message}\nservice output:\n${server.output().slice(-3000)}`);
    });
    return { ...service, serverRssMb: server.peakRssMb() };
  } finally {
    await server.stop();
  }
}

let postgresAvailable: boolean | undefined;

export async function http(): Promise<Figure[]> {
  const runs = await repeat('http', async (folder) => {
    const bareApp = await startServer(join(OUT, 'bench', 'http-bare-app.js'), {}, '/noop');
    const bare = await runChild('http-load', [
      '--target=bare',
      `--url=${bareApp.url}`,
      `--server-pid=${bareApp.pid}`,
    ]).finally(() => bareApp.stop());
    // One load generator is one client: the per-client rate limit (6,000/min by default) would refuse
    // most of its requests. A limit far above the load keeps the guard's work in every request.
    const limits = { RATE_LIMIT_PER_MINUTE: '10000000' };
    const service = await driveService({ ...limits, DATABASE_PATH: join(folder, 'service.sqlite') });
    // The same load on PostgreSQL, one instance, in the same run: target 5 compares it with SQLite's.
    if (postgresAvailable === undefined) postgresAvailable = (await postgresMissing()) === undefined;
    if (!postgresAvailable) return { bare, service };
    const schema = newSchema();
    try {
      const postgres = await driveService({
        ...limits,
        DATABASE_TYPE: 'postgres',
        DATABASE_URL: BENCH_DATABASE_URL,
        DATABASE_SCHEMA: schema,
      });
      return { bare, service, postgres };
    } finally {
      await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
  const service = runs.map((run) => run.service);
  const bare = runs.map((run) => run.bare);
  const failures = [...pick(service, 'failed'), ...pick(bare, 'failed')].reduce((sum, failed) => sum + failed, 0);
  const rssMb = pick(service, 'serverRssMb');
  const latency = (name: string, key: string, target?: Figure['target']): Figure => ({
    name,
    unit: 'ms',
    values: pick(service, key),
    target,
  });
  const cpu = (name: string, key: string, target?: Figure['target']): Figure => ({
    ...latency(name, key, target),
    ceiling: { name: 'bare GET', values: pick(bare, 'getCpuMs') },
    higherIsBetter: false,
  });
  const readTarget = { on: 'ratio', op: '>=', limit: 0.7 } as const;
  const cpuTarget = { on: 'value', op: '<=', limit: 0.2 } as const;
  return [
    {
      name: 'HTTP: POST /carts/{id}/items',
      unit: 'req/s',
      values: pick(service, 'commandRps'),
      ceiling: { name: 'bare POST', values: pick(bare, 'postRps') },
      target: { on: 'ratio', op: '>=', limit: 0.5 },
      rssMb,
      note: failures > 0 ? `${failures} non-2xx answers or errors under load (not counted as done)` : undefined,
    },
    latency('HTTP: POST items, p50 latency', 'commandP50Ms'),
    latency('HTTP: POST items, p99 latency', 'commandP99Ms'),
    latency('HTTP: POST items, server CPU per command', 'commandCpuMs'),
    {
      name: 'HTTP: GET /carts/{id}',
      unit: 'req/s',
      values: pick(service, 'readRps'),
      ceiling: { name: 'bare GET', values: pick(bare, 'getRps') },
      target: readTarget,
      rssMb,
    },
    latency('HTTP: GET cart, p50 latency', 'readP50Ms'),
    latency('HTTP: GET cart, p99 latency', 'readP99Ms'),
    cpu('HTTP: GET cart, server CPU per read', 'readCpuMs', cpuTarget),
    {
      name: 'HTTP: GET /orders/{id}',
      unit: 'req/s',
      values: pick(service, 'orderReadRps'),
      ceiling: { name: 'bare GET', values: pick(bare, 'getRps') },
      target: readTarget,
      rssMb,
    },
    latency('HTTP: GET order, p50 latency', 'orderReadP50Ms'),
    latency('HTTP: GET order, p99 latency', 'orderReadP99Ms'),
    cpu('HTTP: GET order, server CPU per read', 'orderReadCpuMs', cpuTarget),
    {
      ...latency('read-after-write: GET ?consistentWith p50', 'rawReadP50Ms'),
      ceiling: { name: 'bare GET p50', values: pick(bare, 'sequentialGetP50Ms') },
      higherIsBetter: false,
    },
    {
      ...latency('read-after-write: GET ?consistentWith p99', 'rawReadP99Ms', { on: 'value', op: '<=', limit: 5 }),
      ceiling: { name: 'bare GET p99', values: pick(bare, 'sequentialGetP99Ms') },
      higherIsBetter: false,
    },
    latency('read-after-write: command + GET p50', 'rawPairP50Ms'),
    latency('read-after-write: command + GET p99', 'rawPairP99Ms'),
    ...postgresFigures(
      runs.map((run) => run.postgres).filter((run) => run !== undefined),
      service,
    ),
  ];
}

/** Target 5: one PostgreSQL instance against SQLite, same load, same run. */
function postgresFigures(postgres: Metrics[], sqlite: Metrics[]): Figure[] {
  if (postgres.length === 0) {
    return [{ name: 'HTTP (PostgreSQL)', unit: 'req/s', values: [], note: 'skipped: no PostgreSQL' }];
  }
  const versus = (name: string, key: string, limit: number): Figure => ({
    name,
    unit: 'req/s',
    values: pick(postgres, key),
    ceiling: { name: 'same on SQLite', values: pick(sqlite, key) },
    target: { on: 'ratio', op: '>=', limit },
    rssMb: pick(postgres, 'serverRssMb'),
  });
  const latency = (name: string, key: string): Figure => ({ name, unit: 'ms', values: pick(postgres, key) });
  return [
    versus('HTTP (PostgreSQL): POST /carts/{id}/items', 'commandRps', 0.8),
    latency('HTTP (PostgreSQL): POST items, p99 latency', 'commandP99Ms'),
    latency('HTTP (PostgreSQL): POST items, server CPU per command', 'commandCpuMs'),
    versus('HTTP (PostgreSQL): GET /carts/{id}', 'readRps', 0.9),
    latency('HTTP (PostgreSQL): GET cart, server CPU per read', 'readCpuMs'),
    versus('HTTP (PostgreSQL): GET /orders/{id}', 'orderReadRps', 0.9),
    latency('HTTP (PostgreSQL): read-after-write GET ?consistentWith p99', 'rawReadP99Ms'),
  ];
}

/**
 * Issue 17: slow live-feed readers must not stall the service or grow its memory. The server's peak RSS
 * is taken once the log is seeded and again after the stalled readers replayed from 0.
 */
export async function liveFeed(): Promise<Figure[]> {
  const runs = await repeat('live-feed', async (folder) => {
    const env = {
      DATABASE_PATH: join(folder, 'live.sqlite'),
      RATE_LIMIT_PER_MINUTE: '10000000',
      LIVE_STREAMS_PER_CLIENT: '100000',
      LIVE_STREAM_STALL_MS: '3600000',
    };
    const server = await startServer(join(OUT, 'src', 'main.js'), env, '/health');
    try {
      await runChild('live-feed', ['--mode=seed', `--url=${server.url}`]);
      const seededRssMb = server.peakRssMb();
      const measured = await runChild('live-feed', ['--mode=measure', `--url=${server.url}`]);
      return { ...measured, seededRssMb, growthMb: server.peakRssMb() - seededRssMb };
    } finally {
      await server.stop();
    }
  });
  const readers = process.env.BENCH_LIVE_READERS ?? '100';
  const health = (name: string, key: string, target?: Figure['target']): Figure => ({
    name: `live feed, ${readers} stalled readers: GET /health ${name}`,
    unit: 'ms',
    values: pick(runs, key),
    higherIsBetter: false,
    target,
  });
  return [
    health('p50', 'healthP50Ms'),
    health('p99', 'healthP99Ms', { on: 'value', op: '<', limit: 100 }),
    health('max', 'healthMaxMs'),
    {
      name: `live feed, ${readers} stalled readers: server peak RSS growth`,
      unit: 'MB',
      values: pick(runs, 'growthMb'),
      higherIsBetter: false,
      rssMb: pick(runs, 'seededRssMb'),
    },
  ];
}
