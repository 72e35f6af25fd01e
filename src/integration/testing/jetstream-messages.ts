import { jetstreamManager } from '@nats-io/jetstream';
import type { StoredMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

/** A test's own view of the broker: what a stream holds, and its clean-up. */
export class JetStreamProbe {
  private constructor(readonly connection: NatsConnection) {}

  static async connect(url: string): Promise<JetStreamProbe> {
    return new JetStreamProbe(await connect({ servers: url, name: 'ledgerline-test' }));
  }

  /** Every message the stream holds, in its order; empty when the stream does not exist. */
  async messages(stream: string): Promise<StoredMsg[]> {
    const manager = await jetstreamManager(this.connection);
    let last: number;
    try {
      last = (await manager.streams.info(stream)).state.last_seq;
    } catch {
      return [];
    }
    const messages: StoredMsg[] = [];
    for (let seq = 1; seq <= last; seq += 1) {
      const message = await manager.streams.getMessage(stream, { seq });
      if (message !== null) messages.push(message);
    }
    return messages;
  }

  async deleteStreams(...streams: string[]): Promise<void> {
    const manager = await jetstreamManager(this.connection);
    for (const stream of streams) await manager.streams.delete(stream).catch(() => false);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
