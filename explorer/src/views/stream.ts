import { ApiError, categoryOf, get, getPage, messageOf, StoredEvent } from '../api.js';
import { alert, fill, h, json, newId, time } from '../dom.js';
import { heading, href, replaceQuery, streamHref, type View } from '../main.js';

/** Aggregates whose state the service rebuilds at a version or an instant, by stream category. */
const STATE_ROUTES: Record<string, string> = { 'shopping-cart': '/carts/', order: '/orders/' };
const PAGE = 1000;
const MAX_PAGES = 20;

async function loadEvents(streamId: string): Promise<{ events: StoredEvent[]; truncated: boolean }> {
  const events: StoredEvent[] = [];
  let next: string | undefined = `/streams/${encodeURIComponent(streamId)}/events?limit=${PAGE}`;
  for (let page = 0; next !== undefined && page < MAX_PAGES; page += 1) {
    const result: { items: StoredEvent[]; next: string | undefined } = await getPage<StoredEvent>(next);
    events.push(...result.items);
    next = result.next;
  }
  return { events, truncated: next !== undefined };
}

const correlations = new Map<string, Promise<StoredEvent[]>>();
/** One correlation's events (for finding the event that caused another), fetched once per view. */
function correlation(correlationId: string): Promise<StoredEvent[]> {
  let found = correlations.get(correlationId);
  if (found === undefined) {
    found = get<StoredEvent[]>(`/events?correlationId=${encodeURIComponent(correlationId)}&limit=1000`);
    correlations.set(correlationId, found);
  }
  return found;
}

function causeOf(event: StoredEvent, cause: HTMLElement): void {
  const { correlationId, causationId } = event.metadata;
  if (causationId === undefined) return fill(cause, 'Nothing recorded');
  if (correlationId === undefined) return fill(cause, `command ${causationId}`);
  fill(cause, 'Looking…');
  correlation(correlationId).then(
    (events) => {
      const origin = events.find((candidate) => candidate.eventId === causationId);
      fill(
        cause,
        origin === undefined
          ? `A request: command ${causationId}`
          : h(
              'a',
              { href: streamHref(origin.streamId, origin.version) },
              `The event that caused it: ${origin.type} (${origin.streamId}, version ${origin.version})`,
            ),
      );
    },
    (error: unknown) => fill(cause, alert(messageOf(error))),
  );
}

function details(event: StoredEvent): HTMLElement {
  const cause = h('dd', {});
  causeOf(event, cause);
  const { correlationId } = event.metadata;
  return h(
    'section',
    { class: 'event', 'aria-labelledby': 'event-heading' },
    h('h2', { id: 'event-heading' }, `Version ${event.version}: ${event.type}`),
    h(
      'dl',
      {},
      h('dt', {}, 'Position'),
      h('dd', {}, event.position),
      h('dt', {}, 'Recorded'),
      h('dd', {}, time(event.recordedAt)),
      h('dt', {}, 'Event id'),
      h('dd', {}, h('code', {}, event.eventId)),
      h('dt', {}, 'Correlation'),
      h(
        'dd',
        {},
        correlationId === undefined
          ? 'None'
          : h(
              'a',
              { href: href(`/correlation/${encodeURIComponent(correlationId)}`, { event: event.eventId }) },
              'Events with the same correlation id',
            ),
      ),
      h('dt', {}, 'Caused by'),
      cause,
      h('dt', {}, 'Hash'),
      h('dd', {}, h('code', { class: 'hash' }, event.hash ?? 'none')),
    ),
    h('h3', {}, 'Data'),
    json(event.data),
    h('h3', {}, 'Metadata'),
    json(event.metadata),
  );
}

/** A stream: its events, the selected one in full, and for carts and orders the state at that version. */
export const streamView: View = (main, params, streamId) => {
  main.append(heading(`Stream ${streamId}`));
  const status = h('p', { 'aria-live': 'polite' }, 'Loading…');
  main.append(status);
  let alive = true;
  loadEvents(streamId).then(
    ({ events, truncated }) => {
      if (alive) show(main, status, streamId, events, truncated, params);
    },
    (error: unknown) => alive && fill(status, alert(messageOf(error))),
  );
  return () => {
    alive = false;
    correlations.clear();
  };
};

function show(
  main: HTMLElement,
  status: HTMLElement,
  streamId: string,
  events: StoredEvent[],
  truncated: boolean,
  params: URLSearchParams,
): void {
  const category = categoryOf(streamId);
  const stateRoute = STATE_ROUTES[category];
  const aggregateId = streamId.slice(category.length + 1);
  const last = events.at(-1)!;
  fill(
    status,
    `${events.length} event${events.length === 1 ? '' : 's'} in category ${category}` +
      (truncated ? ` (the first ${events.length} are shown)` : ''),
  );

  const slider = h('input', { id: 'version', type: 'range', min: 1, max: last.version, step: 1, value: last.version });
  const sliderValue = h('output', { for: 'version' });
  const asOf = h('input', {
    id: 'as-of',
    type: 'text',
    inputmode: 'text',
    placeholder: '2026-11-26T11:20:00.000Z',
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const asOfForm = h(
    'form',
    { class: 'as-of' },
    h('label', { for: 'as-of' }, 'As of'),
    asOf,
    h('button', { type: 'submit' }, 'Travel'),
  );
  const travelMessage = h('p', { class: 'hint', 'aria-live': 'polite' });
  const list = h('ol', { class: 'events' });
  const detail = h('div', {});
  const stateBody = h('div', { 'aria-live': 'polite' });
  const stateHeading = newId('state');
  const state =
    stateRoute === undefined
      ? null
      : h(
          'section',
          { class: 'state', 'aria-labelledby': stateHeading },
          h('h2', { id: stateHeading }, 'State'),
          stateBody,
        );
  const buttons = events.map((event) =>
    h(
      'button',
      { type: 'button', 'aria-pressed': 'false', onclick: () => select(event.version, true) },
      h('span', { class: 'version' }, `v${event.version}`),
      h('span', { class: 'type' }, event.type),
      h('span', { class: 'meta' }, `#${event.position} · `, time(event.recordedAt)),
    ),
  );
  for (const button of buttons) list.append(h('li', {}, button));

  let request = 0;
  function loadState(query: string): void {
    if (stateRoute === undefined) return;
    const mine = ++request;
    fill(stateBody, 'Loading…');
    get<Record<string, unknown>>(`${stateRoute}${encodeURIComponent(aggregateId)}?${query}`).then(
      (view) => mine === request && fill(stateBody, json(view)),
      (error: unknown) => mine === request && fill(stateBody, alert(messageOf(error))),
    );
  }

  function select(version: number, fromList: boolean, instant?: string): void {
    const event = events.find((candidate) => candidate.version === version) ?? last;
    slider.value = String(event.version);
    fill(sliderValue, `version ${event.version} of ${last.version}`);
    buttons.forEach((button, index) => button.setAttribute('aria-pressed', String(events[index] === event)));
    fill(detail, details(event));
    if (instant === undefined) loadState(`atVersion=${event.version}`);
    replaceQuery(new URLSearchParams(instant === undefined ? { version: String(event.version) } : { asOf: instant }));
    if (fromList) buttons[events.indexOf(event)]?.focus();
  }

  function travel(instant: string): void {
    const at = new Date(instant);
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(instant) || Number.isNaN(at.getTime())) {
      fill(travelMessage, alert('Type an instant with its time zone, e.g. 2026-11-26T11:20:00.000Z.'));
      return;
    }
    const reached = events.filter((event) => new Date(event.recordedAt) <= at).at(-1);
    if (reached === undefined) {
      fill(travelMessage, alert(`The stream had no events yet at ${instant}.`));
      if (stateRoute !== undefined) fill(stateBody, '');
      return;
    }
    fill(travelMessage, `At ${instant} the stream was at version ${reached.version}.`);
    select(reached.version, false, instant);
    if (stateRoute !== undefined) {
      const mine = ++request;
      get<Record<string, unknown>>(
        `${stateRoute}${encodeURIComponent(aggregateId)}?asOf=${encodeURIComponent(instant)}`,
      ).then(
        (view) => mine === request && fill(stateBody, json(view)),
        (error: unknown) =>
          mine === request && fill(stateBody, alert(error instanceof ApiError ? error.message : messageOf(error))),
      );
    }
  }

  slider.addEventListener('input', () => select(Number(slider.value), false));
  asOfForm.addEventListener('submit', (event) => {
    event.preventDefault();
    travel(asOf.value.trim());
  });

  main.append(
    h(
      'div',
      { class: 'travel' },
      h('div', { class: 'slider' }, h('label', { for: 'version' }, 'Version'), slider, sliderValue),
      asOfForm,
      travelMessage,
    ),
    h('div', { class: 'stream-grid' }, h('section', { 'aria-label': 'Events' }, list), detail, state),
  );
  const requested = params.get('asOf');
  if (requested !== null) {
    asOf.value = requested;
    travel(requested);
  } else {
    select(Number(params.get('version') ?? last.version), false);
  }
}
