import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ParkedEventNotFound, ParkedRetryFailed } from '../../event-sourcing/subscriptions/subscription.errors';
import { NatsConnection } from '../nats-connection';
import { InboundCloudEvent, parseCloudEvent, PoisonMessage } from './inbound-cloud-event';
import { InboundHandler, InboundHandlerOf } from './inbound-handler';
import { ParkedMessages } from './parked-messages';

/** How long the broker waits for our acknowledgement before it redelivers a message. */
const ACK_WAIT_S = 60;
const STATUS_WAIT_MS = 2000;

interface Consumer {
  name: string;
  handler: InboundHandler;
  lastError: string | undefined;
  messages: ConsumerMessages | undefined;
  running: Promise<void> | undefined;
}

export interface InboxStatus {
  name: string;
  /** The stream sequence below which every message is acknowledged. */
  checkpoint: number;
  /** The stream sequence of the newest message for this consumer. */
  headPosition: number;
  /** Messages not yet acknowledged. */
  lag: number;
  lastError: string | null;
}

/** The promise's outcome, or a failure once `ms` passed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`NATS did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs each inbound handler on its own durable JetStream consumer (explicit acknowledgement), one message
 * at a time. A handled message is acknowledged; one that can never succeed is terminated (the broker
 * stops redelivering it) and parked with its body and reason, where an operator can see and retry it;
 * any other failure is redelivered after a growing pause. On PostgreSQL every instance pulls from the
 * same durable consumer: each message goes to one of them, and the handlers' idempotency covers a
 * redelivery to another.
 */
@Injectable()
export class Inbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Inbox.name);
  private readonly consumers = new Map<string, Consumer>();
  private stopped = false;
  /** Cuts short the pause between two attempts when the service stops. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly nats: NatsConnection,
    private readonly parked: ParkedMessages,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.nats.enabled) return;
    for (const wrapper of this.discovery.getProviders({ metadataKey: InboundHandlerOf.KEY })) {
      const name = this.discovery.getMetadataByDecorator(InboundHandlerOf, wrapper)?.consumer;
      if (name === undefined || !wrapper.instance) continue;
      if (this.consumers.has(name)) throw new Error(`Two inbound handlers consume "${name}"`);
      const consumer: Consumer = {
        name,
        handler: wrapper.instance as InboundHandler,
        lastError: undefined,
        messages: undefined,
        running: undefined,
      };
      this.consumers.set(name, consumer);
      consumer.running = this.run(consumer);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const consumer of this.consumers.values()) await consumer.messages?.close().catch(() => undefined);
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.running ?? Promise.resolve()));
  }

  has(name: string): boolean {
    return this.consumers.has(name);
  }

  names(): string[] {
    return [...this.consumers.keys()];
  }

  async status(): Promise<InboxStatus[]> {
    return Promise.all(
      [...this.consumers.values()].map(async ({ name, handler, lastError }) => {
        try {
          const info = await within(
            this.nats.ready().then(({ manager }) => manager.consumers.info(handler.binding.stream, name)),
            STATUS_WAIT_MS,
          );
          return {
            name,
            checkpoint: info.ack_floor.stream_seq,
            headPosition: info.delivered.stream_seq + info.num_pending,
            lag: info.num_pending + info.num_ack_pending,
            lastError: lastError ?? null,
          };
        } catch (error) {
          return { name, checkpoint: 0, headPosition: 0, lag: 0, lastError: lastError ?? describe(error) };
        }
      }),
    );
  }

  /** Handles a parked message once more; on success it is no longer parked. */
  async retryParked(name: string, sequence: number): Promise<void> {
    const consumer = this.consumers.get(name);
    const message = (await this.parked.list(name)).find((entry) => entry.sequence === sequence);
    if (consumer === undefined || message === undefined) throw new ParkedEventNotFound(name, sequence);
    try {
      await consumer.handler.handle(parseCloudEvent(Buffer.from(message.body, 'utf8')));
    } catch (error) {
      const reason = error instanceof PoisonMessage ? error.reason : describe(error);
      await this.parked.park({ ...message, error: reason, attempts: message.attempts + 1 });
      throw new ParkedRetryFailed(name, sequence, reason);
    }
    await this.parked.unpark(name, sequence);
  }

  /** Consumes until shutdown; a lost broker or consumer is set up again after a pause. */
  private async run(consumer: Consumer): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const { client, manager } = await this.nats.ready();
        await this.ensureConsumer(manager, consumer);
        const messages = await (
          await client.consumers.get(consumer.handler.binding.stream, consumer.name)
        ).consume({
          max_messages: 20,
        });
        consumer.messages = messages;
        if (this.stopped) await messages.close();
        for await (const message of messages) {
          await this.process(consumer, message);
          failures = 0;
        }
      } catch (error) {
        if (this.stopped) break;
        failures += 1;
        consumer.lastError = describe(error);
        this.logger.warn(`Inbound consumer ${consumer.name} failed, starting again: ${consumer.lastError}`);
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private async ensureConsumer(manager: JetStreamManager, { name, handler }: Consumer): Promise<void> {
    const { stream, subject } = handler.binding;
    try {
      await manager.consumers.info(stream, name);
      return;
    } catch (error) {
      if (!/consumer not found/i.test(String(error))) throw error;
    }
    await manager.consumers.add(stream, {
      durable_name: name,
      filter_subject: subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: ACK_WAIT_S * 1e9,
    });
    this.logger.log(`Created durable JetStream consumer ${name} on ${stream} (${subject})`);
  }

  private async process(consumer: Consumer, message: JsMsg): Promise<void> {
    let event: InboundCloudEvent | undefined;
    try {
      event = parseCloudEvent(message.data);
      await consumer.handler.handle(event);
    } catch (error) {
      if (error instanceof PoisonMessage) await this.poisoned(consumer, message, event, error.reason);
      else this.retryLater(consumer, message, describe(error));
      return;
    }
    consumer.lastError = undefined;
    // If the acknowledgement is lost the message comes again, and the handler's idempotency absorbs it.
    await message.ackAck().catch(() => undefined);
  }

  private async poisoned(
    consumer: Consumer,
    message: JsMsg,
    event: InboundCloudEvent | undefined,
    reason: string,
  ): Promise<void> {
    try {
      await this.parked.park({
        consumer: consumer.name,
        sequence: message.seq,
        messageId: event?.id ?? null,
        type: event?.type ?? null,
        subject: message.subject,
        body: Buffer.from(message.data).toString('utf8'),
        error: reason,
        attempts: message.info.deliveryCount,
      });
    } catch (error) {
      this.retryLater(consumer, message, `cannot park: ${describe(error)}`);
      return;
    }
    this.logger.error(`Inbound consumer ${consumer.name} parked message ${message.seq}: ${reason}`);
    // The reason is kept with the parked message; nats-server 2.9 takes none with a termination.
    message.term();
  }

  private retryLater(consumer: Consumer, message: JsMsg, reason: string): void {
    const attempt = message.info.deliveryCount;
    const delay = Math.min(30_000, 200 * 2 ** Math.min(attempt - 1, 8));
    consumer.lastError = reason;
    this.logger.warn(
      `Inbound consumer ${consumer.name} failed on message ${message.seq} (attempt ${attempt}), retrying in ${delay} ms: ${reason}`,
    );
    message.nak(delay);
  }
}
