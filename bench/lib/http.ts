import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { sleep, vmHwmMb } from './child';

// One kept-alive connection per sequential caller, so latency figures carry no TCP handshake.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Response {
  status: number;
  body: string;
}

/** A JSON request over the kept-alive agent; resolves with any status (the caller decides). */
export function send(url: string, method: string, body?: unknown): Promise<Response> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload === undefined ? {} : { 'content-type': 'application/json' };
    const req = httpRequest(url, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server dropped an idle kept-alive socket as we reused it: the request never reached it.
      if (req.reusedSocket && error.code === 'ECONNRESET') send(url, method, body).then(resolve, reject);
      else reject(new Error(`${method} ${url}: ${error.message}`));
    });
    req.end(payload);
  });
}

/** A port nobody listens on right now (the OS picks it; we release it for the server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let clockTicksPerSecond: number | undefined;

/**
 * A process's CPU time so far (user + system, what its own process.cpuUsage() would say), in ms, read
 * from /proc so the load generator can measure the server without touching it; NaN where there is none.
 */
export function cpuMs(pid: number): number {
  try {
    clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    // The fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return NaN;
  }
}

export interface Server {
  url: string;
  pid: number;
  /** What the server printed so far, for a failure report. */
  output(): string;
  /** The server process's resident-memory high-water mark (VmHWM), in MB; NaN off Linux. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts `node <script>` with PORT set and resolves once `readyPath` answers 200. With
 * BENCH_HTTP_CPU_PROF=<folder> the server writes a V8 CPU profile there when it stops.
 */
export async function startServer(script: string, env: Record<string, string>, readyPath: string): Promise<Server> {
  const port = await freePort();
  const profile = process.env.BENCH_HTTP_CPU_PROF;
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, NO_COLOR: '1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    const ready = await send(`${url}${readyPath}`, 'GET').then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer ${readyPath} within 30 s:\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    pid: child.pid ?? NaN,
    output: () => output,
    peakRssMb: () => vmHwmMb(child.pid),
    stop() {
      if (child.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
