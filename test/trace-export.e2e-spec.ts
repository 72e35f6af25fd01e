import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IsolatedDatabase, isolatedDatabase } from '../src/event-sourcing/testing/test-database';
import { Order } from '../src/orders/domain/order.aggregate';
import { AppProcess, startAppProcess } from './support/app-process';
import { eventually } from './support/eventually';

/** A span as OTLP/HTTP's JSON encoding carries it. */
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

/** The smallest OTLP/HTTP trace receiver: keeps every span posted to /v1/traces. */
async function collector(): Promise<{ url: string; spans: ExportedSpan[]; server: Server }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
        for (const resource of payload.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

const attribute = (span: ExportedSpan, key: string) => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

async function post(url: string, body?: object, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response.json();
}

describe('traces exported over OTLP/HTTP by the built service', () => {
  let receiver: Awaited<ReturnType<typeof collector>>;
  let database: IsolatedDatabase;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    receiver = await collector();
    database = isolatedDatabase();
  });
  afterAll(async () => {
    await app?.kill();
    receiver.server.close();
    await database.drop();
  });

  it("continues a checkout's trace in the saga's order after a restart of the service", async () => {
    const env = {
      ...database.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'ledgerline-test',
    };
    // The saga is held, so the order can only be placed by the next process.
    app = await startAppProcess({ ...env, PAUSED_SUBSCRIPTIONS: 'checkout-saga' });
    const { cartId } = (await post(`${app.url}/carts`, { customerId: 'otlp' })) as { cartId: string };
    await post(`${app.url}/carts/${cartId}/items`, { productId: 'socks', quantity: 1, unitPriceCents: 300 });
    const traceId = randomBytes(16).toString('hex');
    await post(`${app.url}/carts/${cartId}/checkout`, undefined, {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    // SIGTERM: the spans still queued are exported before the process exits.
    await app.stop();
    app = undefined;
    const checkoutAppend = receiver.spans.find(
      (span) => span.traceId === traceId && span.name === 'event-store append',
    );
    expect(checkoutAppend).toBeDefined();

    app = await startAppProcess(env);
    const orderStream = `order-${Order.idForCart(cartId)}`;
    // Spans are exported as they end: the saga's reaction ends after the order's append.
    const { orderAppend, placeOrder, saga } = await eventually(
      () => {
        const byId = new Map(receiver.spans.map((span) => [span.spanId, span]));
        const append = receiver.spans.find(
          (span) => span.name === 'event-store append' && attribute(span, 'ledgerline.stream') === orderStream,
        );
        const command = byId.get(append?.parentSpanId ?? '');
        const reaction = byId.get(command?.parentSpanId ?? '');
        return reaction && { orderAppend: append!, placeOrder: command!, saga: reaction };
      },
      "the order's append, its command and the saga's reaction",
      20_000,
    );
    expect(orderAppend.traceId).toBe(traceId);
    expect([placeOrder.name, saga.name]).toEqual(['command PlaceOrder', 'saga checkout-saga']);
    expect(saga.parentSpanId).toBe(checkoutAppend!.spanId);
  });
});
