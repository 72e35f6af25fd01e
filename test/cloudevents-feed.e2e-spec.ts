import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const VALIDATION = 'urn:ledgerline:problem:validation-failed';
const BATCH = 'application/cloudevents-batch+json';

type EventBody = {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
};

/** What a CloudEvent of the API holds for a stored event, as GET /events shows that event. */
function expectedCloudEvent(event: EventBody): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: event.eventId,
    source: '/shop-test',
    type: event.type,
    subject: event.streamId,
    time: event.recordedAt,
    datacontenttype: 'application/json',
    data: event.data,
    position: event.position,
    streamversion: event.version,
    correlationid: event.metadata.correlationId,
    causationid: event.metadata.causationId,
  };
}

/** The first `count` `data:` lines of GET /events/live, parsed. */
async function liveData(url: string, count: number): Promise<unknown[]> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const lines = text.split('\n').filter((line) => line.startsWith('data: '));
      if (lines.length >= count) return lines.slice(0, count).map((line) => JSON.parse(line.slice(6)) as unknown);
      const { value, done } = await reader.read();
      if (done) throw new Error(`The stream ended after ${lines.length} events`);
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    controller.abort();
  }
}

describe('the event feed as CloudEvents', () => {
  let test: TestApp;
  let events: EventBody[];
  const api = () => request(test.url);

  beforeAll(async () => {
    test = await startTestApp({ NATS_SOURCE: '/shop-test' });
    const cart = await api()
      .post('/carts')
      .set('X-Correlation-Id', 'cloudevents-feed')
      .send({ customerId: 'c-ce' })
      .expect(201);
    const { cartId } = cart.body as { cartId: string };
    await api()
      .post(`/carts/${cartId}/items`)
      .send({ productId: 'shoes', quantity: 1, unitPriceCents: 4999 })
      .expect(200);
    events = (await api().get('/events').expect(200)).body as EventBody[];
  });
  afterAll(() => test.close());

  it('answers GET /events with a CloudEvents batch when asked for one', async () => {
    const response = await api().get('/events').set('Accept', BATCH).expect(200);
    expect(response.headers['content-type']).toBe(`${BATCH}; charset=utf-8`);
    expect(response.headers.vary).toMatch(/Accept/);
    expect(JSON.parse(response.text)).toEqual(events.map(expectedCloudEvent));
  });

  it('pages the batch like the plain feed, and stays plain JSON unless asked', async () => {
    const response = await api().get(`/events?after=${events[0]!.position}&limit=1`).set('Accept', BATCH).expect(200);
    expect(JSON.parse(response.text)).toEqual([expectedCloudEvent(events[1]!)]);
    const plain = await api().get('/events').set('Accept', 'application/json, */*').expect(200);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.body).toEqual(events);
  });

  it('streams CloudEvents with ?format=cloudevents', async () => {
    expect(await liveData(`${test.url}/events/live?after=0&format=cloudevents`, 2)).toEqual(
      events.map(expectedCloudEvent),
    );
    expect(await liveData(`${test.url}/events/live?after=0`, 2)).toEqual(events);
  });

  it('refuses an unknown live format', async () => {
    expectProblem(await api().get('/events/live?format=xml'), 400, VALIDATION);
  });
});
