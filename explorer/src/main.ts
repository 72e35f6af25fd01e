import { accessToken, setAccessToken } from './api.js';
import { h } from './dom.js';
import { correlationView } from './views/correlation.js';
import { integrityView } from './views/integrity.js';
import { liveView } from './views/live.js';
import { streamView } from './views/stream.js';
import { streamsView } from './views/streams.js';
import { subscriptionsView } from './views/subscriptions.js';

/** A view draws into the main element and returns how to stop what it started (polls, streams). */
export type View = (main: HTMLElement, params: URLSearchParams, argument: string) => (() => void) | void;

/** Hash routes: every view has its own address, so a link to a stream at a version can be shared. */
const ROUTES: { pattern: RegExp; section: string; view: View }[] = [
  { pattern: /^\/streams$/, section: 'Streams', view: streamsView },
  { pattern: /^\/stream\/(.+)$/, section: 'Streams', view: streamView },
  { pattern: /^\/correlation\/(.+)$/, section: 'Streams', view: correlationView },
  { pattern: /^\/live$/, section: 'Live', view: liveView },
  { pattern: /^\/subscriptions$/, section: 'Subscriptions', view: subscriptionsView },
  { pattern: /^\/integrity$/, section: 'Integrity', view: integrityView },
];

let stop: (() => void) | void;

function render(): void {
  const main = document.getElementById('main')!;
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  const route = ROUTES.find((candidate) => candidate.pattern.test(path));
  if (route === undefined) {
    location.replace('#/streams');
    return;
  }
  stop?.();
  main.replaceChildren();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    if (link.textContent === route.section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const argument = decodeURIComponent(route.pattern.exec(path)?.[1] ?? '');
  stop = route.view(main, new URLSearchParams(query), argument);
  // Keyboard and screen reader users land on the new view, as after a page load.
  main.focus({ preventScroll: true });
}

/** Changes the address without drawing the view again (a slider moving, a row selected). */
export function replaceQuery(params: URLSearchParams): void {
  const [path = ''] = location.hash.replace(/^#/, '').split('?');
  const query = params.toString();
  history.replaceState(null, '', `#${path}${query === '' ? '' : `?${query}`}`);
}

/** The address of a view, for links. */
export function href(path: string, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return `#${path}${text === '' ? '' : `?${text}`}`;
}

export function streamHref(streamId: string, version?: number): string {
  return href(`/stream/${encodeURIComponent(streamId)}`, { version });
}

export function heading(text: string): HTMLHeadingElement {
  document.title = `${text} · Ledgerline explorer`;
  return h('h1', {}, text);
}

function setUpToken(): void {
  const form = document.getElementById('token-form') as HTMLFormElement;
  const field = document.getElementById('access-token') as HTMLInputElement;
  const status = document.getElementById('token-status')!;
  field.value = accessToken();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setAccessToken(field.value);
    status.textContent =
      field.value.trim() === ''
        ? 'No access token is sent.'
        : 'The access token is used until this browser session ends.';
    render();
  });
}

setUpToken();
window.addEventListener('hashchange', render);
render();
