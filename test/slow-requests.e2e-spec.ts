import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { connect, Socket } from 'node:net';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';

interface RawExchange {
  /** Everything the server sent until it closed the connection (or the wait ran out). */
  received: string;
  closed: boolean;
}

/** Sends `head` over a raw socket, never the body it announces, and collects what comes back. */
function sendAndStall(url: string, head: string, waitMs: number): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname, () => socket.write(head));
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closed: false });
    }, waitMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closed: true });
    });
  });
}

const commandHead = (authorization?: string) =>
  [
    'POST /carts HTTP/1.1',
    'Host: localhost',
    'Content-Type: application/json',
    'Content-Length: 100000',
    ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
    '',
    '{"customerId":',
  ].join('\r\n');

describe('slow bodies without a valid token', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET });
  });
  afterAll(() => test.close());

  it.each([
    ['no token', undefined],
    ['a malformed token', 'Bearer not-a-jwt'],
    [
      'a bad signature',
      `Bearer ${jwt.sign({ sub: 'eve', roles: ['carts:write'] }, `${SECRET}-forged`, { expiresIn: 300 })}`,
    ],
  ])('answer %s with 401 right after the headers and close, never waiting for the body', async (_, authorization) => {
    const { received, closed } = await sendAndStall(test.url, commandHead(authorization), 5000);
    expect(received).toMatch(/^HTTP\/1\.1 401 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(closed).toBe(true);
  });
});

describe('the HTTP server timeouts', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000' });
  });
  afterAll(() => test.close());

  it('are applied from HTTP_REQUEST_TIMEOUT_MS and HTTP_HEADERS_TIMEOUT_MS', () => {
    const server = test.app.getHttpServer() as { requestTimeout: number; headersTimeout: number };
    expect([server.requestTimeout, server.headersTimeout]).toEqual([1500, 1000]);
  });

  it('close a request whose body stalls with 408', async () => {
    const { received, closed } = await sendAndStall(test.url, commandHead(), 10_000);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closed).toBe(true);
  });

  it('close a connection whose headers stall', async () => {
    const { closed } = await sendAndStall(test.url, 'GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1', 10_000);
    expect(closed).toBe(true);
  });
});
