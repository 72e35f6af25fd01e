import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const MAIN = join(process.cwd(), 'dist', 'src', 'main.js');

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** SIGKILL: no shutdown hooks, no flushing; what a power cut or OOM kill does. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A port nothing listens on right now, from the kernel (a random pick can hit a client's ephemeral port). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs the built service (`npm run build` first) and resolves once it accepts requests. Without a PORT of
 * the caller's, a port taken between the pick and the listen is picked again.
 */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" before the e2e tests`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(env.PORT ?? String(await freePort()), env);
    } catch (error) {
      if (env.PORT !== undefined || attempt === 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startOn(port: string, env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, PORT: port, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The service exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The service did not start within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** Runs the built service expecting it to refuse to start; resolves with its exit code and output. */
export async function runAppExpectingExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited(child);
  clearTimeout(timer);
  return { code, output };
}
