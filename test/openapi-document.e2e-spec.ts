import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STATUS_CODES } from 'node:http';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  examples?: unknown;
  schema?: { type?: string; example?: unknown };
}
interface MediaType {
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties: Record<string, { type?: string }> }>;
    securitySchemes: Record<string, { description?: string }>;
  };
}

const COMMAND = [400, 401, 403, 404, 409, 412, 422, 429, 503];
const JSON_COMMAND = [...COMMAND, 413, 415];
const CONSISTENT_READ = [400, 401, 403, 429, 503];
/**
 * Every route with its success status, the role (or roles) its 403 names (null for a public route, which has no 403)
 * and the problem statuses it can answer with.
 */
const ROUTES: [string, string, number, string | string[] | null, number[]][] = [
  ['/health', 'get', 200, null, [503]],
  ['/health/live', 'get', 200, null, []],
  ['/health/ready', 'get', 200, null, [503]],
  ['/metrics', 'get', 200, ['metrics', 'admin'], [401, 403, 404, 429]],
  ['/carts', 'post', 201, 'carts:write', [400, 401, 403, 413, 415, 422, 429, 503]],
  ['/carts', 'get', 200, 'read', CONSISTENT_READ],
  ['/carts/{cartId}', 'get', 200, 'read', [...CONSISTENT_READ, 404]],
  ['/carts/{cartId}/items', 'post', 200, 'carts:write', JSON_COMMAND],
  ['/carts/{cartId}/items/{productId}', 'delete', 200, 'carts:write', COMMAND],
  ['/carts/{cartId}/checkout', 'post', 200, 'carts:write', JSON_COMMAND],
  ['/carts/{cartId}/events', 'get', 200, 'read', [400, 401, 403, 404, 429, 503]],
  ['/orders', 'get', 200, 'read', CONSISTENT_READ],
  ['/orders/{orderId}', 'get', 200, 'read', [...CONSISTENT_READ, 404]],
  ['/orders/{orderId}/events', 'get', 200, 'read', [400, 401, 403, 404, 429, 503]],
  ['/orders/{orderId}/payments', 'post', 200, 'orders:write', JSON_COMMAND],
  ['/orders/{orderId}/shipment', 'post', 200, 'orders:write', COMMAND],
  ['/orders/{orderId}/cancellation', 'post', 200, 'orders:write', JSON_COMMAND],
  ['/events', 'get', 200, 'read', [400, 401, 403, 429, 503]],
  ['/events/live', 'get', 200, 'read', [400, 401, 403, 429, 503]],
  ['/streams', 'get', 200, 'read', [400, 401, 403, 429, 503]],
  ['/streams/{streamId}/events', 'get', 200, 'read', [400, 401, 403, 404, 429, 503]],
  ['/subscriptions', 'get', 200, 'admin', [401, 403, 429, 503]],
  ['/subscriptions/{name}/rebuild', 'post', 202, 'admin', [401, 403, 404, 409, 429, 503]],
  ['/subscriptions/{name}/parked/{position}/retry', 'post', 204, 'admin', [400, 401, 403, 404, 409, 429, 503]],
  ['/admin/integrity', 'get', 200, 'admin', [400, 401, 403, 404, 429, 503]],
  ['/admin/integrity/checks', 'post', 202, 'admin', [401, 403, 429, 503]],
  ['/admin/integrity/checks/{id}', 'get', 200, 'admin', [401, 403, 404, 429, 503]],
  ['/customers/{customerId}/personal-data', 'get', 200, ['admin', 'privacy'], [400, 401, 403, 404, 429, 503]],
  [
    '/customers/{customerId}/personal-data',
    'delete',
    202,
    ['admin', 'privacy'],
    [400, 401, 403, 404, 413, 415, 429, 503],
  ],
];

/** Swagger UI's "Try it out" sends what the document prefills, so the document is checked for that. */
describe('the OpenAPI document', () => {
  let test: TestApp;
  let document: Document;

  beforeAll(async () => {
    test = await startTestApp();
    document = (await request(test.url).get('/docs-json').expect(200)).body as Document;
  });
  afterAll(() => test.close());

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );

  it('prefills no optional parameter and requires no header', () => {
    const prefilled = operations().flatMap(({ route, operation }) =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in !== 'path')
        .filter((parameter) =>
          parameter.in === 'header'
            ? parameter.required === true || hasExample(parameter)
            : parameter.required !== true && hasExample(parameter),
        )
        .map((parameter) => `${route} ${parameter.in} ${parameter.name}`),
    );
    expect(prefilled).toEqual([]);
  });

  it('lists every documented route in this table', () => {
    const listed = ROUTES.map(([path, method]) => `${method.toUpperCase()} ${path}`).sort();
    expect(
      operations()
        .map(({ route }) => route)
        .sort(),
    ).toEqual(listed);
  });

  it("documents each route's success status", () => {
    for (const [path, method, success] of ROUTES) {
      expect({ path, method, success: document.paths[path]?.[method]?.responses[success] !== undefined }).toEqual({
        path,
        method,
        success: true,
      });
    }
  });

  it('documents every problem status a route can answer with, each as problem+json', () => {
    for (const [path, method, , , statuses] of ROUTES) {
      const responses = document.paths[path]?.[method]?.responses ?? {};
      const problems = Object.keys(responses).filter((status) => Number(status) >= 400);
      expect({ path, method, problems: problems.map(Number).sort((a, b) => a - b) }).toEqual({
        path,
        method,
        problems: [...statuses].sort((a, b) => a - b),
      });
      for (const status of problems) {
        expect({ path, method, status, content: Object.keys(responses[status]!.content ?? {}) }).toEqual({
          path,
          method,
          status,
          content: ['application/problem+json'],
        });
      }
    }
  });

  it("gives every problem example its status's title, and names the route's role in its 403", () => {
    for (const { route, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        for (const example of problemExamples(response.content?.['application/problem+json'])) {
          expect({ route, example }).toEqual({
            route,
            example: expect.objectContaining({
              type: expect.stringMatching(/^(urn:ledgerline:problem:[a-z-]+|about:blank)$/),
              title: STATUS_CODES[status],
              status: Number(status),
              detail: expect.any(String),
            }),
          });
        }
      }
    }
    for (const [path, method, , role] of ROUTES) {
      if (role === null) continue;
      const forbidden = problemExamples(
        document.paths[path]![method]!.responses['403']!.content!['application/problem+json'],
      );
      expect({ path, method, details: forbidden.map((example) => example.detail) }).toEqual({
        path,
        method,
        details: [
          `This route needs the ${[role]
            .flat()
            .map((name) => `"${name}"`)
            .join(' or the ')} role`,
        ],
      });
    }
  });

  it('shows opening a cart as it answers: version 1, refused only for a reused Idempotency-Key', () => {
    const open = document.paths['/carts']!.post!;
    expect(open.responses['201']!.content!['application/json']!.example).toMatchObject({ version: 1 });
    const refusals = problemExamples(open.responses['422']!.content!['application/problem+json']);
    expect(refusals.map((example) => example.type)).toEqual(['urn:ledgerline:problem:idempotency-key-reused']);
  });

  it('types whole numbers as integer', () => {
    const { schemas } = document.components;
    expect(schemas.AddItemRequest!.properties.quantity!.type).toBe('integer');
    expect(schemas.AddItemRequest!.properties.unitPriceCents!.type).toBe('integer');
    expect(schemas.PayOrderRequest!.properties.amountCents!.type).toBe('integer');
    expect(schemas.CartCommandResponse!.properties.position!.type).toBe('integer');
    const numbers = operations().flatMap(({ route, operation }) =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.schema?.type === 'number')
        .map((parameter) => `${route} ${parameter.name}`),
    );
    expect(numbers).toEqual([]);
  });

  it('tells the Authorize dialog which roles exist and how to get a token', () => {
    const { description } = Object.values(document.components.securitySchemes)[0]!;
    for (const text of ['`read`', '`carts:write`', '`orders:write`', '`admin`', 'roles', 'AUTH_JWT_SECRET']) {
      expect(description).toContain(text);
    }
  });
});

function hasExample(parameter: Parameter): boolean {
  return parameter.example !== undefined || parameter.examples !== undefined || parameter.schema?.example !== undefined;
}

function problemExamples(media: MediaType | undefined): Record<string, unknown>[] {
  if (media === undefined) return [];
  const examples = media.example === undefined ? [] : [media.example];
  return [...examples, ...Object.values(media.examples ?? {}).map(({ value }) => value)] as Record<string, unknown>[];
}
