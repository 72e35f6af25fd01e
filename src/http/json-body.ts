import type { IncomingMessage } from 'node:http';

/** Deeper bodies are refused before parsing: everything after the parser recurses once per level. */
export const MAX_JSON_DEPTH = 32;

const [QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [...'"\\{}[]'].map((character) =>
  character.charCodeAt(0),
);

/** Whether the request announces a body, which the body parser would wait for. */
export function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/** Thrown from body-parser's `verify`, which keeps its status; it reaches the problem filter as the cause. */
export class JsonTooDeep extends Error {
  readonly status = 400;

  constructor() {
    super(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
}

/**
 * Whether raw JSON text opens more than `max` objects or arrays at once. A single pass over the bytes
 * outside strings: UTF-8 never puts an ASCII byte inside a multi-byte character.
 */
export function nestedDeeperThan(json: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < json.length; index += 1) {
    const byte = json[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}

/**
 * The JSON body parser's options: `limit`, every JSON media type the JSON-only check lets through
 * (`application/json` and `application/*+json`), and no body nested deeper than MAX_JSON_DEPTH.
 */
export function jsonBodyOptions(limit: string): {
  limit: string;
  type: string[];
  verify: (request: IncomingMessage, response: unknown, body: Buffer) => void;
} {
  return {
    limit,
    type: ['application/json', 'application/*+json'],
    verify: (_request, _response, body) => {
      if (nestedDeeperThan(body, MAX_JSON_DEPTH)) throw new JsonTooDeep();
    },
  };
}
