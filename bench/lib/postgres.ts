import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ItemAddedToCart } from '../../src/shopping-carts/domain/shopping-cart.events';
import { cartStreamId, commandMetadata, serialized } from './sqlite';

/** The PostgreSQL the PostgreSQL benchmarks use; each run works in a schema of its own and drops it. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why the PostgreSQL benchmarks cannot run here, or undefined when they can. */
export async function postgresMissing(): Promise<string | undefined> {
  if (spawnSync('pgbench', ['--version']).status !== 0) return 'pgbench is not on PATH';
  const client = new Client({ connectionString: BENCH_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return `no PostgreSQL at ${BENCH_DATABASE_URL} (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function sql(text: string): Promise<void> {
  const client = new Client({ connectionString: BENCH_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function newSchema(): string {
  return `bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * pgbench's one-row INSERT transactions into a copy of `schema`'s events table (same columns, defaults,
 * constraints and indexes), each row a new stream's first event with the JSON and metadata the store
 * would write: the ceiling of the store's appends. Returns a run of `seconds` that answers the TPS.
 */
export async function pgbenchInsert(schema: string, folder: string, clients: number) {
  await sql(`CREATE TABLE ${schema}.pgbench_events (LIKE ${schema}.events INCLUDING ALL)`);
  const { type, data } = serialized(new ItemAddedToCart(randomUUID(), 'sku-1', 1, 100));
  const script = join(folder, 'insert.sql');
  writeFileSync(
    script,
    [
      '\\set n random(1, 9000000000000000000)',
      'INSERT INTO pgbench_events (event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash) ' +
        `VALUES (gen_random_uuid(), ${literal(cartStreamId('pgbench-'))} || :client_id || '-' || :n, 1, ` +
        `${literal(type)}, ${literal(data)}, ${literal(JSON.stringify(commandMetadata()))}, now(), ` +
        `${literal('0'.repeat(64))});`,
      '',
    ].join('\n'),
  );
  return (seconds: number): number => {
    const args = ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, BENCH_DATABASE_URL];
    const output = execFileSync('pgbench', args, {
      encoding: 'utf8',
      env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tps = /tps = ([\d.]+)/.exec(output)?.[1];
    if (tps === undefined) throw new Error(`no tps in pgbench's output:\n${output}`);
    return Number(tps);
  };
}
