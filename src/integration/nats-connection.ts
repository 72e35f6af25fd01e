import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection as Connection } from '@nats-io/transport-node';
import { natsConfig } from '../config/nats.config';
import { subjectCovers } from './subjects';

/** How long start-up waits for the broker before it goes on and keeps connecting in the background. */
const STARTUP_WAIT_MS = 3000;
/** How long a caller waits for the broker before it fails (and is retried by its own backoff). */
const READY_WAIT_MS = 5000;

export interface JetStream {
  connection: Connection;
  client: JetStreamClient;
  manager: JetStreamManager;
}

/** The broker cannot be used as configured; an operator must act. */
export class BrokerMisconfigured extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerMisconfigured';
  }
}

export class BrokerUnavailable extends Error {
  constructor(detail: string) {
    super(`NATS is not reachable: ${detail}`);
    this.name = 'BrokerUnavailable';
  }
}

/**
 * The one connection to NATS JetStream (when NATS_URL is set), shared by the publisher and the inbound
 * consumers. It reconnects forever; callers wait for it through `ready()`. At start the streams we
 * publish to and read from are created if missing; an existing stream that does not hold our subjects
 * stops the start-up, since nothing published to it could be stored.
 */
@Injectable()
export class NatsConnection implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connecting: Promise<Connection> | undefined;
  private prepared: Promise<JetStream> | undefined;
  private closing = false;
  private readonly waiters = new Set<(error: Error) => void>();

  constructor(@Inject(natsConfig.KEY) readonly config: ConfigType<typeof natsConfig>) {}

  get enabled(): boolean {
    return this.config.servers.length > 0;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) {
      this.logger.log('NATS_URL is not set: integration events are not published, payments are not consumed');
      return;
    }
    this.connecting = connect({
      servers: this.config.servers,
      name: 'ledgerline',
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    const timer = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), STARTUP_WAIT_MS).unref());
    const connection = await Promise.race([this.connecting, timer]);
    if (connection === undefined) {
      this.logger.warn(`NATS at ${this.config.servers.join(',')} is not reachable yet; publishing waits for it`);
      return;
    }
    try {
      await this.ready();
    } catch (error) {
      // The start-up fails, and Nest calls no shutdown hook for it: let go of the broker here.
      this.closing = true;
      await connection.close();
      throw error;
    }
    this.logger.log(
      `Publishing integration events to stream ${this.config.stream} (${this.config.subjectPrefix}.>) at ` +
        this.config.servers.join(','),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const fail of this.waiters) fail(new BrokerUnavailable('the service is shutting down'));
    const connection = await Promise.race([this.connecting, Promise.resolve(undefined)]);
    if (connection !== undefined) await connection.close();
    else void this.connecting?.then((late) => late.close());
  }

  /** The connection, once the streams are in place; fails after a while if the broker stays away. */
  async ready(): Promise<JetStream> {
    if (this.connecting === undefined || this.closing) throw new BrokerUnavailable('not connected');
    this.prepared ??= this.connecting.then((connection) => this.prepare(connection));
    const prepared = this.prepared;
    prepared.catch(() => {
      if (this.prepared === prepared) this.prepared = undefined;
    });
    let fail: (error: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
      setTimeout(
        () => reject(new BrokerUnavailable(`no connection within ${READY_WAIT_MS} ms`)),
        READY_WAIT_MS,
      ).unref();
    });
    this.waiters.add(fail);
    try {
      return await Promise.race([prepared, failed]);
    } finally {
      this.waiters.delete(fail);
    }
  }

  private async prepare(connection: Connection): Promise<JetStream> {
    const manager = await jetstreamManager(connection);
    const { stream, subjectPrefix, duplicateWindowS, paymentsStream } = this.config;
    await this.ensureStream(manager, stream, `${subjectPrefix}.>`, duplicateWindowS);
    await this.ensureStream(manager, paymentsStream, this.paymentsSubjects, duplicateWindowS);
    return { connection, client: jetstream(connection), manager };
  }

  /** Subjects of the payments stream. */
  get paymentsSubjects(): string {
    return `${this.config.paymentsSubjectPrefix}.>`;
  }

  private async ensureStream(
    manager: JetStreamManager,
    name: string,
    subjects: string,
    duplicateWindowS: number,
  ): Promise<void> {
    let info: StreamInfo | undefined;
    try {
      info = await manager.streams.info(name);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    if (info === undefined) {
      await manager.streams.add({ name, subjects: [subjects], duplicate_window: duplicateWindowS * 1e9 });
      this.logger.log(`Created JetStream stream ${name} (${subjects}), duplicate window ${duplicateWindowS} s`);
      return;
    }
    const held = info.config.subjects ?? [];
    if (!held.some((pattern) => subjectCovers(pattern, subjects))) {
      throw new BrokerMisconfigured(
        `JetStream stream ${name} exists with subjects ${held.join(', ') || '(none)'}, which do not cover ` +
          `${subjects}: use another stream name, or add ${subjects} to that stream`,
      );
    }
    const window = (info.config.duplicate_window ?? 0) / 1e9;
    if (window < duplicateWindowS) {
      this.logger.warn(
        `JetStream stream ${name} drops duplicates for ${window} s only, less than NATS_DUPLICATE_WINDOW_S=${duplicateWindowS}`,
      );
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}
