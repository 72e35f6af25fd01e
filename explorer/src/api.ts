/** The service's HTTP API, as the explorer calls it: same origin, with the access token when one is set. */
const TOKEN_KEY = 'ledgerline.explorer.accessToken';

/** The access token lives for the browser session only (sessionStorage), never longer. */
export function accessToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function setAccessToken(token: string): void {
  if (token.trim() === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function authorization(): Record<string, string> {
  const token = accessToken();
  return token === '' ? {} : { Authorization: `Bearer ${token.replace(/^bearer\s+/i, '')}` };
}

interface Problem {
  status?: number;
  detail?: string;
  errors?: { field: string; messages: string[] }[];
}

/** A refusal or failure of the API, told as a sentence a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function sentence(status: number, problem: Problem, retryAfter: string | null): string {
  const detail = problem.detail ?? '';
  switch (status) {
    case 401:
      return accessToken() === ''
        ? 'The service asks for an access token: paste one into the "Access token" field above.'
        : 'The service did not accept your access token (it may have expired or be mistyped): paste a valid one into the "Access token" field above.';
    case 403: {
      const role = /"([^"]+)" role/.exec(detail)?.[1];
      return role === undefined
        ? 'Your access token does not allow this.'
        : `Your access token does not allow this: it needs the "${role}" role.`;
    }
    case 429:
      return `The service is receiving too many requests from you; try again in ${retryAfter ?? 'a few'} seconds.`;
    case 503:
      return `The service is busy or its database is unreachable; try again ${retryAfter === null ? 'shortly' : `in ${retryAfter} seconds`}.`;
    case 400: {
      const fields = (problem.errors ?? []).flatMap((error) => error.messages);
      return fields.length > 0
        ? `The service refused this request: ${fields.join('; ')}.`
        : `The service refused this request: ${detail}`;
    }
    default:
      return detail !== '' ? detail : `The service answered with status ${status}.`;
  }
}

/** The ApiError of a response that is not ok. */
export async function failure(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => ({}))) as Problem;
  return new ApiError(response.status, sentence(response.status, problem, response.headers.get('Retry-After')));
}

async function send(method: string, path: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { method, headers: { Accept: 'application/json', ...authorization() } });
  } catch {
    throw new ApiError(0, 'The service cannot be reached: check that it is running, then try again.');
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export async function get<T>(path: string): Promise<T> {
  return (await (await send('GET', path)).json()) as T;
}

/** A GET whose Link header may name the next page. */
export async function getPage<T>(path: string): Promise<{ items: T[]; next: string | undefined }> {
  const response = await send('GET', path);
  const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') ?? '')?.[1];
  return { items: (await response.json()) as T[], next };
}

export async function post(path: string): Promise<void> {
  await send('POST', path);
}

/** A POST answered 202 with a Location to poll: that location. */
export async function start(path: string): Promise<string> {
  const location = (await send('POST', path)).headers.get('Location');
  if (location === null) throw new ApiError(0, 'The service started the job but did not say where to follow it.');
  return location;
}

/** The message to show for anything a call threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface StoredEvent {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: { correlationId?: string; causationId?: string; commandId?: string; actor?: string };
  recordedAt: string;
  hash?: string | null;
}

export interface Stream {
  streamId: string;
  category: string;
  version: number;
  firstPosition: number;
  lastPosition: number;
  firstRecordedAt: string;
  lastRecordedAt: string;
}

export interface Subscription {
  name: string;
  kind: string;
  checkpoint: number;
  headPosition: number;
  lag: number;
  paused: boolean;
  leader: boolean;
  lastError: string | null;
  parked: { position: number; eventId: string; type: string; error: string; attempts: number; parkedAt: string }[];
}

/** A background hash-chain check of the whole log (POST /admin/integrity/checks). */
export interface IntegrityCheck {
  status: 'running' | 'done' | 'failed' | 'interrupted';
  streamsChecked: number;
  eventsChecked: number;
  report: IntegrityReport | null;
  error: string | null;
}

export interface IntegrityReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  firstBroken: { streamId: string; version: number; position: number; reason: string } | null;
}

/** As the service sees it (src/event-log/browsing/stream-catalog.ts): what precedes the aggregate id. */
export function categoryOf(streamId: string): string {
  const aggregate = /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.exec(streamId);
  if (aggregate !== null) return streamId.slice(0, aggregate.index);
  const dash = streamId.lastIndexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}
