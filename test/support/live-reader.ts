import { get, IncomingMessage } from 'node:http';

/**
 * A client of GET /events/live that receives the response head and then stops reading, as a stalled
 * consumer does: Node's HTTP client stops reading the socket once a paused response has buffered a
 * little, so whatever the server sends next piles up in the socket buffers, then in the server.
 * `readUntil` starts reading again.
 */
export class LiveReader {
  private text = '';
  private readonly ids: number[] = [];
  /** Resolves once the connection is gone (the server ended it, or `close()`). */
  readonly closed: Promise<void>;

  private constructor(private readonly response: IncomingMessage) {
    this.closed = new Promise((resolve) => response.socket.once('close', () => resolve()));
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.parse(chunk));
    response.on('error', () => undefined);
    response.pause();
  }

  /** Opens the stream; rejects with the status and body when the server does not answer 200. */
  static open(url: string, path = '/events/live', headers: Record<string, string> = {}): Promise<LiveReader> {
    return new Promise((resolve, reject) => {
      const request = get(`${url}${path}`, { headers, agent: false }, (response) => {
        if (response.statusCode === 200) return resolve(new LiveReader(response));
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(new Error(`GET ${path} answered ${response.statusCode}: ${body}`)));
      });
      request.on('error', reject);
    });
  }

  /** Reads again until an event at `position` or later arrived (or the stream ended); the ids seen so far. */
  async readUntil(position: number): Promise<number[]> {
    this.response.resume();
    await new Promise<void>((resolve) => {
      const check = () => {
        if ((this.ids.at(-1) ?? -1) < position && !this.response.readableEnded && !this.response.destroyed) return;
        this.response.off('data', check);
        this.response.off('close', check);
        resolve();
      };
      this.response.on('data', check);
      this.response.on('close', check);
      check();
    });
    return [...this.ids];
  }

  close(): void {
    this.response.destroy();
  }

  /** Only whole events count: one cut off by the end of the connection was never delivered. */
  private parse(chunk: string): void {
    this.text += chunk;
    for (let end = this.text.indexOf('\n\n'); end >= 0; end = this.text.indexOf('\n\n')) {
      const id = /^id: (\d+)$/m.exec(this.text.slice(0, end))?.[1];
      if (id !== undefined) this.ids.push(Number(id));
      this.text = this.text.slice(end + 2);
    }
  }
}
