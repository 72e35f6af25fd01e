import {
  Attributes,
  context,
  Context,
  Link,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';

/**
 * The service's spans, for any layer (the event store and subscriptions included: this file needs nothing
 * but the OpenTelemetry API). Tracing is off until installTracing() turns it on; until then every caller
 * checks `tracingActive()` first and skips the span entirely, so the hot paths pay one boolean test and no
 * span objects, and no context manager (async hooks) runs.
 */
let active = false;

export function tracingActive(): boolean {
  return active;
}

/** Only for installTracing(). */
export function setTracingActive(on: boolean): void {
  active = on;
}

/** Resolves to the installed provider's tracer at each span (OpenTelemetry's proxy). */
export const tracer = trace.getTracer('ledgerline');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The W3C `traceparent` naming `span`: the same trace, this span as the parent of whatever it causes. */
export function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & TraceFlags.SAMPLED) === 0 ? '00' : '01'}`;
}

/** The trace id of a valid W3C `traceparent`, else undefined. */
export function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = TRACEPARENT.exec(traceparent.trim());
  return match === null || match[1] === ZERO_TRACE || match[2] === ZERO_SPAN ? undefined : match[1];
}

/** A context whose parent is the span a W3C `traceparent` names (from a request or stored metadata). */
export function contextOf(traceparent: unknown, base: Context = ROOT_CONTEXT): Context {
  if (typeof traceparent !== 'string') return base;
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null || match[1] === ZERO_TRACE || match[2] === ZERO_SPAN) return base;
  return trace.setSpanContext(base, {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/** Links to the spans that appended these events (at most `max`), for a span that handles them together. */
export function linksTo(events: readonly { metadata: { traceparent?: unknown } }[], max = 32): Link[] {
  const links: Link[] = [];
  for (const { metadata } of events) {
    const spanContext = trace.getSpanContext(contextOf(metadata.traceparent));
    if (spanContext !== undefined) links.push({ context: spanContext });
    if (links.length === max) break;
  }
  return links;
}

/** Marks a span failed with the error that ended it. */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs `work` in a new span, active for everything it awaits, under `parent` (default: the active span).
 * A thrown error marks the span failed and is rethrown. Call only when tracingActive().
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  {
    parent = context.active(),
    kind = SpanKind.INTERNAL,
    links,
  }: { parent?: Context; kind?: SpanKind; links?: Link[] } = {},
): Promise<T> {
  const span = tracer.startSpan(name, { kind, attributes, links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work, undefined, span);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Sets an attribute on the active span, if tracing is on and there is one. */
export function annotateActiveSpan(key: string, value: string | number): void {
  if (active) trace.getActiveSpan()?.setAttribute(key, value);
}
