import { randomUUID } from 'node:crypto';
import type { EventMetadata } from './event-store';

/**
 * Who asked for a command and under which conditions. Travels with the command to the repository,
 * which stores the tracing part as event metadata.
 */
export interface CommandContext {
  commandId: string;
  /** Shared by everything one user action causes, across services and sagas. */
  correlationId: string;
  /** What directly caused this command: the command itself, or the event a saga reacted to. */
  causationId: string;
  actor?: string;
  /** From If-Match: the version the client last saw. A mismatch fails instead of being retried. */
  expectedVersion?: number;
  /**
   * From Idempotency-Key: a repeat with the same key and fingerprint, in the same scope, answers the
   * first result. The scope keeps callers apart: see `clientScope` and `internalScope`.
   */
  idempotency?: { scope: string; key: string; fingerprint: string };
  /** W3C trace context to store with the events (`metadata.traceparent`), e.g. from an inbound message. */
  traceparent?: string;
}

/** The idempotency scope of a request: its token's subject, or everyone's when authentication is off. */
export function clientScope(subject: string | undefined): string {
  return `client:${subject ?? 'anonymous'}`;
}

/** The idempotency scope of commands the service sends itself (a saga's, say): no request can reach it. */
export function internalScope(sender: string): string {
  return `internal:${sender}`;
}

export function newCommandContext(overrides: Partial<CommandContext> = {}): CommandContext {
  const commandId = overrides.commandId ?? randomUUID();
  return {
    commandId,
    correlationId: overrides.correlationId ?? commandId,
    causationId: overrides.causationId ?? commandId,
    ...overrides,
  };
}

export function metadataOf(context: CommandContext): EventMetadata {
  const metadata: EventMetadata = {
    correlationId: context.correlationId,
    causationId: context.causationId,
    commandId: context.commandId,
  };
  if (context.actor !== undefined) metadata.actor = context.actor;
  if (context.traceparent !== undefined) metadata.traceparent = context.traceparent;
  return metadata;
}
