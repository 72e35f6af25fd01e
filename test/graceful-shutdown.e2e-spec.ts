import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { connect, Socket } from 'node:net';
import { IsolatedDatabase, isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { AppProcess, startAppProcess } from './support/app-process';
import { eventually } from './support/eventually';

interface Ack {
  cartId: string;
  position: number;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * A POST /carts whose headers the service has provably received (it answered `100 Continue`) and whose
 * body is sent only when `finish()` is called: a request that arrived before the signal and is in flight.
 */
class HeldRequest {
  private text = '';
  private failure: Error | undefined;
  private readonly ended: Promise<void>;
  private readonly body = JSON.stringify({ customerId: 'held' });

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.text += chunk));
    socket.on('error', (error) => (this.failure = error));
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(url: string): Promise<HeldRequest> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    const held = new HeldRequest(socket);
    socket.write(
      'POST /carts HTTP/1.1\r\nHost: ledgerline\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(held.body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await eventually(() => Promise.resolve(held.text.includes('100 Continue\r\n\r\n') || undefined), '100 Continue');
    return held;
  }

  /** Sends the body; resolves with the final response once the server has closed the connection. */
  async finish(): Promise<{ status: number; head: string; ack: Ack; failure: Error | undefined }> {
    // Not end(): a client that half-closes its side tells Node's server it has gone away.
    this.socket.write(this.body);
    await this.ended;
    const final = this.text.slice(this.text.indexOf('100 Continue\r\n\r\n') + '100 Continue\r\n\r\n'.length);
    const [head = '', body = ''] = final.split('\r\n\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    return { status, head, ack: (status === 201 ? JSON.parse(body) : {}) as Ack, failure: this.failure };
  }
}

/** True once nothing listens on the port any more: the service has begun to shut down. */
function refusesConnections(url: string): Promise<true | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? true : undefined));
  });
}

/** Every position in the log, read page by page. */
async function storedPositions(url: string): Promise<Set<number>> {
  const positions = new Set<number>();
  for (let after = 0; ;) {
    const page = (await (await fetch(`${url}/events?after=${after}&limit=1000`)).json()) as { position: number }[];
    if (page.length === 0) return positions;
    for (const event of page) positions.add(event.position);
    after = page.at(-1)!.position;
  }
}

describe('shutting down on SIGTERM', () => {
  const apps: AppProcess[] = [];
  const databases: IsolatedDatabase[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.kill();
  });
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('under load, finishes the requests in flight, ends live streams cleanly and loses no acknowledged command', async () => {
    const database = isolatedDatabase();
    databases.push(database);
    // Generous: requests held below stay in flight until this test sends their bodies.
    const app = await startAppProcess({ ...database.env, SHUTDOWN_TIMEOUT_MS: '60000' });
    apps.push(app);

    const held = await Promise.all([1, 2, 3].map(() => HeldRequest.open(app.url)));
    const live = await fetch(`${app.url}/events/live`);
    expect(live.status).toBe(200);
    const liveEnded = (async () => {
      const reader = live.body!.getReader();
      while (!(await reader.read()).done);
    })();

    // Clients sending commands as fast as they are answered, each until its first refused connection.
    const acks: Ack[] = [];
    const answers: number[] = [];
    let stopped = false;
    const clients = Array.from({ length: 6 }, async (_, client) => {
      for (let n = 0; !stopped; n += 1) {
        let response: Response;
        try {
          response = await fetch(`${app.url}/carts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ customerId: `load-${client}-${n}` }),
          });
        } catch {
          return; // the service no longer accepts connections
        }
        answers.push(response.status);
        if (response.status === 201) acks.push((await response.json()) as Ack);
      }
    });
    await eventually(() => Promise.resolve(acks.length >= 30 || undefined), '30 acknowledged commands', 30_000);
    app.child.kill('SIGTERM');
    const exit = exited(app.child);

    await eventually(() => refusesConnections(app.url), 'the service to stop accepting connections', 30_000);
    // Arrived before the signal, finished after it: answered in full, then the connection closed cleanly.
    const finished = await Promise.all(held.map((request) => request.finish()));
    for (const { status, head, failure } of finished) {
      expect({ status, failure }).toEqual({ status: 201, failure: undefined });
      expect(head).toMatch(/\r\nConnection: close(\r\n|$)/i);
    }
    await liveEnded;
    await Promise.all(clients);
    stopped = true;
    expect(await exit).toEqual(expect.objectContaining({ signal: 'SIGTERM' }));
    // A client whose connection was accepted got its answer: none was cut off or refused by a 5xx.
    expect(answers.filter((status) => status !== 201)).toEqual([]);
    expect(app.output()).not.toMatch(/\bERROR\b/);

    const again = await startAppProcess(database.env);
    apps.push(again);
    const stored = await storedPositions(again.url);
    const acknowledged = [...acks, ...finished.map(({ ack }) => ack)];
    expect(acknowledged.filter(({ position }) => !stored.has(position))).toEqual([]);
    for (const { cartId } of finished.map(({ ack }) => ack)) {
      expect((await fetch(`${again.url}/carts/${cartId}/events`)).status).toBe(200);
    }
  });
});
