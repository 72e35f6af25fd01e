import { randomBytes } from 'node:crypto';
import { TObject, TSchema, Type } from '@sinclair/typebox';
import { CommandContext, internalScope } from '../../event-sourcing/command-context';
import { uuidV5 } from '../../event-sourcing/deterministic-id';

/** A CloudEvent 1.0 received from the broker, its required attributes checked. */
export interface InboundCloudEvent {
  id: string;
  source: string;
  type: string;
  specversion: '1.0';
  subject?: string;
  data?: unknown;
  correlationid?: string;
  traceparent?: string;
  [attribute: string]: unknown;
}

/**
 * The JSON Schema of the CloudEvents an inbound handler takes, as the event catalog describes them: what
 * `parseCloudEvent` requires, the type, and the handler's schema of the data. Other attributes pass.
 */
export function inboundCloudEventSchema(type: string, data: TSchema): TObject {
  return Type.Object({
    specversion: Type.Literal('1.0'),
    id: Type.String({ minLength: 1, description: 'With `source`, identifies the event: a repeat is handled once' }),
    source: Type.String({ minLength: 1 }),
    type: Type.Literal(type),
    subject: Type.Optional(Type.String()),
    data,
    correlationid: Type.Optional(Type.String({ description: "The command's correlation id; `id` when absent" })),
    traceparent: Type.Optional(Type.String({ description: 'W3C trace context, continued by the command' })),
  });
}

/** A message that can never succeed, however often it is tried: it is terminated and parked. */
export class PoisonMessage extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PoisonMessage';
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;
const INBOUND_COMMAND_NAMESPACE = '3d6f1b2a-5c4e-4f7a-9b8c-1e2d3c4b5a69';

/** Reads a structured-mode CloudEvent (JSON); anything else is poison. */
export function parseCloudEvent(body: Uint8Array): InboundCloudEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new PoisonMessage('The message is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PoisonMessage('The message is not a CloudEvent: not a JSON object');
  }
  const event = parsed as Record<string, unknown>;
  if (event.specversion !== '1.0')
    throw new PoisonMessage('The message is not a CloudEvent 1.0: specversion is not "1.0"');
  for (const attribute of ['id', 'source', 'type']) {
    const value = event[attribute];
    if (typeof value !== 'string' || value === '') {
      throw new PoisonMessage(`The message is not a CloudEvent: ${attribute} is missing or not a non-empty string`);
    }
  }
  return event as InboundCloudEvent;
}

/**
 * The context of the command an inbound CloudEvent causes. Its id and Idempotency-Key derive from the
 * CloudEvent's `source` and `id` (which identify an event, per the specification), so a redelivered or
 * republished message repeats the same command, which then appends nothing. The key lives in the
 * consumer's internal scope; `fingerprint` names what the command does, so the same id with other data
 * is refused. The CloudEvent is the cause; its trace goes on with a new span id.
 */
export function inboundCommandContext(consumer: string, event: InboundCloudEvent, fingerprint: string): CommandContext {
  const commandId = uuidV5(`${event.source}\n${event.id}`, INBOUND_COMMAND_NAMESPACE);
  const context: CommandContext = {
    commandId,
    correlationId:
      typeof event.correlationid === 'string' && event.correlationid !== '' ? event.correlationid : event.id,
    causationId: event.id,
    idempotency: { scope: internalScope(consumer), key: `inbound:${commandId}`, fingerprint },
  };
  const trace = typeof event.traceparent === 'string' ? TRACEPARENT.exec(event.traceparent) : null;
  if (trace !== null) context.traceparent = `00-${trace[1]}-${randomBytes(8).toString('hex')}-${trace[2]}`;
  return context;
}
