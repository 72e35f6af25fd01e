import { expect } from '@jest/globals';
import type request from 'supertest';

/**
 * The response is an RFC 9457 problem of this API: one of the expected statuses, problem+json, every
 * member present, `instance` naming the request, and the problem type when one is given.
 */
export function expectProblem(response: request.Response, statuses: number | number[], type?: string): void {
  const allowed = [statuses].flat();
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({
    status: allowed.includes(response.status) ? response.status : allowed[0],
  });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status: response.status,
    detail: expect.any(String),
  });
  expect((response.body as { instance: unknown }).instance).toBe(
    (response as unknown as { req: { path: string } }).req.path,
  );
  if (type !== undefined) expect((response.body as { type: string }).type).toBe(type);
}
