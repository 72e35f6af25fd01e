import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { testEngine } from '../src/event-sourcing/testing/test-database';
import { startTestApp, TestApp } from './support/test-app';
import { DRIVER_SECRET, whileProbeQueryFails } from './support/unreachable-database';

describe('the application shell', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('reports health with the database reachable', async () => {
    const response = await request(test.url).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: testEngine() });
  });

  it('answers health 503 with a fixed sentence and logs the database error instead of echoing it', async () => {
    const logged = await whileProbeQueryFails(test.dataSource, async () => {
      const response = await request(test.url).get('/health').expect(503);
      expect(response.text).not.toContain('10.1.2.3');
      expect(response.text).not.toContain('ledger_admin');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body).toEqual({
        type: 'urn:ledgerline:problem:database-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is busy or unreachable; retry shortly',
        instance: '/health',
      });
    });
    expect(logged).toContain(DRIVER_SECRET);
    await request(test.url).get('/health').expect(200);
  });

  it('serves a valid OpenAPI document and the Swagger UI', async () => {
    const response = await request(test.url).get('/docs-json').expect(200);
    const document = response.body as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info.title).toBe('Ledgerline');
    expect(Object.keys(document.paths)).toContain('/health');
    const ui = await request(test.url).get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const response = await request(test.url).get('/no/such/route').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'urn:ledgerline:problem:not-found',
      title: 'Not Found',
      status: 404,
      instance: '/no/such/route',
    });
    expect(typeof (response.body as { detail: unknown }).detail).toBe('string');
  });

  it('answers malformed JSON with a problem+json 400', async () => {
    const response = await request(test.url)
      .post('/health')
      .set('Content-Type', 'application/json')
      .send('{"oops": ')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('answers a body over the limit with a problem+json 413', async () => {
    const response = await request(test.url)
      .post('/health')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(200_000) }))
      .expect(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, type: 'urn:ledgerline:problem:payload-too-large' });
  });
});
