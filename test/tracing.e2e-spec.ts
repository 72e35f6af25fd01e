import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Order } from '../src/orders/domain/order.aggregate';
import { InstalledTracing, installTracing } from '../src/observability/tracing/install-tracing';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Tracing with the SDK's in-memory exporter instead of OTLP: the spans the service makes, in the shape a
 * collector would receive them. Installed for this file only (Jest gives each test file its own globals).
 */
describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: InstalledTracing;
  let test: TestApp;
  const api = () => request(test.url);

  beforeAll(async () => {
    tracing = installTracing(new SimpleSpanProcessor(exporter));
    test = await startTestApp();
  });
  afterAll(async () => {
    await test.close();
    await tracing.uninstall();
  });

  const spansOf = (traceId: string) =>
    exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan, spans: ReadableSpan[]) =>
    spans.find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId);
  /** The names from `span` up to the root of its trace. */
  const ancestry = (span: ReadableSpan, spans: ReadableSpan[]): string[] => {
    const names = [span.name];
    for (let parent = parentOf(span, spans); parent !== undefined; parent = parentOf(parent, spans)) {
      names.push(parent.name);
    }
    return names;
  };

  it("continues a checkout's trace from its HTTP request through the saga to the order's append", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const { cartId } = (await api().post('/carts').send({ customerId: 'traced' }).expect(201)).body as {
      cartId: string;
    };
    await api().post(`/carts/${cartId}/items`).send({ productId: 'socks', quantity: 2, unitPriceCents: 300 });
    await api().post(`/carts/${cartId}/checkout`).set('traceparent', `00-${traceId}-${callerSpan}-01`).expect(200);
    const orderStream = `order-${Order.idForCart(cartId)}`;

    // Spans are exported as they end: the saga's reaction ends after the order's append, once its checkpoint is stored.
    const { orderAppend, spans } = await eventually(() => {
      const traced = spansOf(traceId);
      const append = traced.find(
        (span) => span.name === 'event-store append' && span.attributes['ledgerline.stream'] === orderStream,
      );
      const root = append && ancestry(append, traced).at(-1);
      return root === 'POST /carts/:cartId/checkout' ? { orderAppend: append!, spans: traced } : undefined;
    }, "the order's append, in the checkout's trace down from its HTTP request");
    expect(ancestry(orderAppend, spans)).toEqual([
      'event-store append',
      'command PlaceOrder',
      'saga checkout-saga',
      'event-store append',
      'command CheckOutCart',
      'POST /carts/:cartId/checkout',
    ]);
    const http = spans.find((span) => span.name === 'POST /carts/:cartId/checkout')!;
    expect(http.parentSpanContext?.spanId).toBe(callerSpan);
    expect(http.attributes).toMatchObject({
      'http.route': '/carts/:cartId/checkout',
      'http.response.status_code': 200,
    });
    const checkout = spans.find((span) => span.name === 'command CheckOutCart')!;
    expect(checkout.attributes).toMatchObject({
      'ledgerline.command.outcome': 'ok',
      'ledgerline.aggregate': `shopping-cart-${cartId}`,
    });
    expect(orderAppend.attributes).toMatchObject({ 'ledgerline.event_count': 1, 'ledgerline.stream_version': 1 });

    // What carried the trace across the subscription: the checkout event's stored metadata.
    const events = (await api().get(`/carts/${cartId}/events`).expect(200)).body as {
      type: string;
      metadata: { traceparent?: string };
    }[];
    const checkedOut = events.find((event) => event.type.includes('checked-out'))!;
    expect(checkedOut.metadata.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('traces each projection batch apart, linked to the appends it applied', async () => {
    const traceId = randomBytes(16).toString('hex');
    await api()
      .post('/carts')
      .set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`)
      .send({ customerId: 'traced-projection' })
      .expect(201);
    const batch = await eventually(
      () =>
        exporter
          .getFinishedSpans()
          .find(
            (span) =>
              span.name === 'projection cart-details' && span.links.some((link) => link.context.traceId === traceId),
          ),
      'a cart-details batch linked to the request',
    );
    expect(batch.spanContext().traceId).not.toBe(traceId);
    expect(batch.attributes['ledgerline.subscription']).toBe('cart-details');
  });

  it('records a refused command without marking it failed', async () => {
    const traceId = randomBytes(16).toString('hex');
    const { cartId } = (await api().post('/carts').send({ customerId: 'traced-refusal' }).expect(201)).body as {
      cartId: string;
    };
    await api()
      .post(`/carts/${cartId}/checkout`)
      .set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`)
      .expect(422);
    const command = await eventually(
      () => spansOf(traceId).find((span) => span.name === 'command CheckOutCart'),
      'the refused command',
    );
    expect(command.attributes['ledgerline.command.outcome']).toBe('rejected');
    expect(command.status.code).toBe(0);
  });
});
