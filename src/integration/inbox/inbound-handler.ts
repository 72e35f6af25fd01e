import { DiscoveryService } from '@nestjs/core';
import type { TObject } from '@sinclair/typebox';
import type { InboundCloudEvent } from './inbound-cloud-event';

/**
 * Turns CloudEvents from a JetStream stream into commands, as an inbound adapter of a bounded context.
 * The inbox acknowledges a message only after `handle` resolved (the command's events are stored), so
 * `handle` must be idempotent: a message can arrive again after a crash or a lost acknowledgement.
 */
export interface InboundHandler {
  /** The stream to read and the subject (filter) of the messages this handler takes. */
  readonly binding: { stream: string; subject: string };
  /**
   * The CloudEvent type it takes and the JSON Schema of that type's data, the one its checks use; the
   * event catalog publishes them as the channel's message.
   */
  readonly accepts: { type: string; data: TObject };
  /** Throws PoisonMessage when the message can never succeed; any other error is retried with backoff. */
  handle(event: InboundCloudEvent): Promise<void>;
}

/** Registers a provider as the handler of a durable JetStream consumer, under the consumer's name. */
export const InboundHandlerOf = DiscoveryService.createDecorator<{ consumer: string }>();
