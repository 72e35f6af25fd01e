import { describe, expect, it } from '@jest/globals';
import { inboundCommandContext, parseCloudEvent, PoisonMessage } from './inbound-cloud-event';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const event = { specversion: '1.0', id: 'evt-1', source: '/payments', type: 'payment.captured.v1' };

describe('an inbound CloudEvent', () => {
  it.each([
    ['{', 'not JSON'],
    ['[]', 'not a JSON object'],
    [JSON.stringify({ ...event, specversion: '0.3' }), 'specversion'],
    [JSON.stringify({ ...event, id: '' }), 'id is missing'],
    [JSON.stringify({ ...event, source: 7 }), 'source is missing'],
    [JSON.stringify({ specversion: '1.0', id: 'x', source: '/s' }), 'type is missing'],
  ])('refuses %s as poison', (body, reason) => {
    expect(() => parseCloudEvent(bytes(body))).toThrow(PoisonMessage);
    expect(() => parseCloudEvent(bytes(body))).toThrow(reason);
  });

  it('derives the same command from the same source and id, and another from another source', () => {
    const first = inboundCommandContext('payments', parseCloudEvent(bytes(JSON.stringify(event))), 'f');
    const again = inboundCommandContext('payments', parseCloudEvent(bytes(JSON.stringify(event))), 'f');
    const elsewhere = inboundCommandContext('payments', { ...event, source: '/other' } as never, 'f');
    expect(again.commandId).toBe(first.commandId);
    expect(again.idempotency).toEqual(first.idempotency);
    expect(elsewhere.commandId).not.toBe(first.commandId);
    expect(first).toMatchObject({ causationId: 'evt-1', correlationId: 'evt-1' });
    expect(first.idempotency).toMatchObject({ scope: 'internal:payments', fingerprint: 'f' });
  });

  it('continues the trace with a new span id', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const context = inboundCommandContext('payments', { ...event, traceparent } as never, 'f');
    expect(context.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(context.traceparent).not.toBe(traceparent);
    expect(
      inboundCommandContext('payments', { ...event, traceparent: 'junk' } as never, 'f').traceparent,
    ).toBeUndefined();
  });
});
