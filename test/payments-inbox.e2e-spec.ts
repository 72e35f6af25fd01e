import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { JetStreamProbe } from '../src/integration/testing/jetstream-messages';
import { MACHINE_NATS_URL, uniqueName } from '../src/integration/testing/nats-test-server';
import { Order } from '../src/orders/domain/order.aggregate';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

type Parked = { position: number; eventId: string; type: string; error: string; attempts: number };
type Subscription = { name: string; kind: string; checkpoint: number; lag: number; parked: Parked[] };
type EventBody = { eventId: string; type: string; metadata: Record<string, unknown> };

describe('payments captured by the payment service, from NATS JetStream', () => {
  let test: TestApp;
  let probe: JetStreamProbe;
  const settings = {
    NATS_URL: MACHINE_NATS_URL,
    NATS_STREAM: uniqueName('LEDGER'),
    NATS_SUBJECT_PREFIX: uniqueName('ledger'),
    NATS_PAYMENTS_STREAM: uniqueName('PAYMENTS'),
    NATS_PAYMENTS_SUBJECT_PREFIX: uniqueName('payments'),
  };
  const api = () => request(test.url);
  const captured = `${settings.NATS_PAYMENTS_SUBJECT_PREFIX}.captured`;

  beforeAll(async () => {
    probe = await JetStreamProbe.connect(MACHINE_NATS_URL);
    test = await startTestApp(settings);
  });
  afterAll(async () => {
    await test.close();
    await probe.deleteStreams(settings.NATS_STREAM, settings.NATS_PAYMENTS_STREAM);
    await probe.close();
  });

  /** Publishes as the payment service would; a message id only when given (a republish gets a new one). */
  async function publish(body: unknown, subject = captured): Promise<void> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    await jetstream(probe.connection).publish(subject, text);
  }

  function paymentCaptured(orderId: string, amountCents: number, extra: Record<string, unknown> = {}) {
    return {
      specversion: '1.0',
      id: randomUUID(),
      source: '/payment-service',
      type: 'payment.captured.v1',
      datacontenttype: 'application/json',
      data: { orderId, amountCents, paymentId: `pay-${randomUUID()}` },
      ...extra,
    };
  }

  /** A cart with one line of `cents`, and its order id; checked out (so ordered) unless told otherwise. */
  async function cartOf(cents: number, checkOut = true): Promise<{ cartId: string; orderId: string }> {
    const cart = await api().post('/carts').send({ customerId: 'c-pay' }).expect(201);
    const { cartId } = cart.body as { cartId: string };
    await api()
      .post(`/carts/${cartId}/items`)
      .send({ productId: 'shoes', quantity: 1, unitPriceCents: cents })
      .expect(200);
    const orderId = Order.idForCart(cartId);
    if (checkOut) await checkOutAndWait(cartId, orderId);
    return { cartId, orderId };
  }

  async function checkOutAndWait(cartId: string, orderId: string): Promise<void> {
    await api().post(`/carts/${cartId}/checkout`).expect(200);
    await eventually(
      async () => ((await api().get(`/orders/${orderId}`)).status === 200 ? true : undefined),
      'the order',
    );
  }

  const orderEvents = async (orderId: string) =>
    (await api().get(`/orders/${orderId}/events`).expect(200)).body as EventBody[];

  async function payments(): Promise<Subscription> {
    const list = (await api().get('/subscriptions').expect(200)).body as Subscription[];
    return list.find((subscription) => subscription.name === 'ledgerline-payments')!;
  }

  const parkedFor = (predicate: (entry: Parked) => boolean, what: string) =>
    eventually(async () => (await payments()).parked.find(predicate), what, 30_000);

  it('pays the order once, however often the payment arrives', async () => {
    const { orderId } = await cartOf(4999);
    const payment = paymentCaptured(orderId, 4999, {
      correlationid: 'payment-correlation',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    await publish(payment);
    await publish(payment);
    await eventually(
      async () => ((await api().get(`/orders/${orderId}`)).body as { status: string }).status === 'paid' || undefined,
      'the order to be paid',
      30_000,
    );
    await publish(payment);
    // Every message was acknowledged, and only the first appended anything.
    await eventually(async () => ((await payments()).lag === 0 ? true : undefined), 'the consumer to catch up', 30_000);
    const paid = (await orderEvents(orderId)).filter((event) => event.type === 'order.paid.v1');
    expect(paid).toHaveLength(1);
    expect(paid[0]!.metadata).toMatchObject({ causationId: payment.id, correlationId: 'payment-correlation' });
    expect(paid[0]!.metadata.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(paid[0]!.metadata.traceparent).not.toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect((await payments()).parked).toEqual([]);
  });

  it('publishes the order and its payment to the broker, and shows the relay in GET /subscriptions', async () => {
    const { orderId } = await cartOf(3000);
    await publish(paymentCaptured(orderId, 3000));
    const paid = await eventually(
      async () => (await orderEvents(orderId)).find((event) => event.type === 'order.paid.v1'),
      'the payment',
      30_000,
    );
    const published = await eventually(
      async () => {
        const messages = await probe.messages(settings.NATS_STREAM);
        return messages.find((message) => message.header.get('Nats-Msg-Id') === paid.eventId);
      },
      'the payment on the broker',
      30_000,
    );
    expect(published.subject).toBe(`${settings.NATS_SUBJECT_PREFIX}.order.paid.v1`);
    expect(published.json<{ type: string; data: unknown }>()).toMatchObject({
      type: 'order.paid.v1',
      data: { orderId, amountCents: 3000 },
    });
    const list = (await api().get('/subscriptions').expect(200)).body as Subscription[];
    expect(list.find((subscription) => subscription.name === 'integration-events')).toMatchObject({ kind: 'relay' });
  });

  it.each([
    ['not JSON', () => 'payment captured!', 'The message is not JSON'],
    ['not a CloudEvent', () => ({ orderId: randomUUID(), amountCents: 1 }), 'not a CloudEvent'],
    [
      'of another type',
      () => ({ ...paymentCaptured(randomUUID(), 1), type: 'payment.refunded.v1' }),
      'Expected a CloudEvent of type payment.captured.v1',
    ],
    [
      'with bad data',
      () => ({ ...paymentCaptured(randomUUID(), 1), data: { orderId: 'nope', amountCents: 1.5 } }),
      'orderId must be a UUID; amountCents must be a positive integer; paymentId must be',
    ],
    ['for an unknown order', () => paymentCaptured(randomUUID(), 100), 'AggregateNotFound'],
  ])('terminates and parks a message %s, with its reason', async (_what, body, reason) => {
    const message = body();
    await publish(message);
    const entry = await parkedFor((parked) => parked.error.includes(reason), 'the message to be parked');
    expect(entry.attempts).toBe(1);
    if (typeof message === 'object' && 'id' in message) expect(entry.eventId).toBe(message.id);
  });

  it('parks a payment that does not match the total, and one for an order paid by another payment', async () => {
    const { orderId } = await cartOf(2500);
    const wrong = paymentCaptured(orderId, 2400);
    await publish(wrong);
    await parkedFor((parked) => parked.eventId === wrong.id, 'the wrong amount to be parked');
    expect((await payments()).parked.find((parked) => parked.eventId === wrong.id)!.error).toMatch(
      /^PaymentDoesNotMatchTotal: /,
    );

    await publish(paymentCaptured(orderId, 2500));
    const other = paymentCaptured(orderId, 2500);
    await publish(other);
    const entry = await parkedFor((parked) => parked.eventId === other.id, 'the second payment to be parked');
    expect(entry.error).toMatch(/^OrderAlreadyPaid: /);
    expect((await orderEvents(orderId)).filter((event) => event.type === 'order.paid.v1')).toHaveLength(1);
  });

  it('retries a parked message on request: it fails again until it can succeed', async () => {
    const { cartId, orderId } = await cartOf(1500, false);
    const early = paymentCaptured(orderId, 1500);
    await publish(early);
    const entry = await parkedFor((parked) => parked.eventId === early.id, 'the early payment to be parked');

    const again = await api().post(`/subscriptions/ledgerline-payments/parked/${entry.position}/retry`);
    expect(again.status).toBe(409);
    expect((await payments()).parked.find((parked) => parked.eventId === early.id)).toMatchObject({ attempts: 2 });

    await checkOutAndWait(cartId, orderId);
    await api().post(`/subscriptions/ledgerline-payments/parked/${entry.position}/retry`).expect(204);
    expect((await payments()).parked.find((parked) => parked.eventId === early.id)).toBeUndefined();
    expect((await api().get(`/orders/${orderId}`).expect(200)).body).toMatchObject({ status: 'paid' });
    await api().post(`/subscriptions/ledgerline-payments/parked/${entry.position}/retry`).expect(404);
  });
});
