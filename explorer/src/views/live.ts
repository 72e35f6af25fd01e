import { authorization, categoryOf, failure, messageOf, StoredEvent } from '../api.js';
import { alert, fill, h, time } from '../dom.js';
import { heading, replaceQuery, streamHref, type View } from '../main.js';

const KEEP = 500;
const RECONNECT_MS = 1000;

/**
 * Reads `GET /events/live` with fetch rather than EventSource, which cannot send the access token. Calls
 * `connected` once the service accepted the stream, then `received` for each event, until the stream
 * ends or `signal` aborts it.
 */
async function readLive(
  after: number | undefined,
  signal: AbortSignal,
  connected: () => void,
  received: (event: StoredEvent) => void,
): Promise<void> {
  const response = await fetch(after === undefined ? '/events/live' : `/events/live?after=${after}`, {
    headers: { Accept: 'text/event-stream', ...authorization() },
    signal,
  });
  if (!response.ok || response.body === null) throw await failure(response);
  connected();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data !== '') received(JSON.parse(data) as StoredEvent);
    }
  }
}

/** Live: the global feed as it happens, pausable, filterable by category. */
export const liveView: View = (main, params) => {
  const events: StoredEvent[] = [];
  let last: number | undefined;
  let paused = false;
  let stopped = false;
  let controller: AbortController | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const status = h('p', { class: 'status', role: 'status' }, 'Connecting…');
  const pause = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
  const filter = h('input', {
    id: 'live-category',
    type: 'text',
    value: params.get('category') ?? '',
    placeholder: 'e.g. order',
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const list = h('ol', { class: 'live', reversed: true });

  const matches = (event: StoredEvent) =>
    filter.value.trim() === '' || categoryOf(event.streamId) === filter.value.trim();
  const row = (event: StoredEvent) =>
    h(
      'li',
      {},
      h('span', { class: 'meta' }, `#${event.position} · `, time(event.recordedAt), ' '),
      h('strong', {}, event.type),
      ' in ',
      h('a', { href: streamHref(event.streamId, event.version) }, `${event.streamId} v${event.version}`),
    );
  const redraw = () => fill(list, events.filter(matches).reverse().map(row));

  const connect = () => {
    if (stopped || paused) return;
    controller = new AbortController();
    fill(status, 'Connecting…');
    readLive(
      last,
      controller.signal,
      () =>
        fill(
          status,
          last === undefined
            ? 'Connected: new events appear here as they are recorded.'
            : 'Connected again: events missed meanwhile come first.',
        ),
      (event) => {
        last = event.position;
        events.push(event);
        if (events.length > KEEP) events.shift();
        if (matches(event)) {
          list.prepend(row(event));
          if (list.children.length > KEEP) list.lastElementChild?.remove();
        }
      },
    ).then(
      () => reconnect('The live stream ended; reconnecting…'),
      (error: unknown) => {
        if (controller?.signal.aborted) return;
        reconnect(messageOf(error));
      },
    );
  };
  const reconnect = (message: string) => {
    if (stopped || paused) return;
    fill(status, alert(message));
    retry = setTimeout(connect, RECONNECT_MS);
  };

  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume' : 'Pause';
    if (paused) {
      clearTimeout(retry);
      controller?.abort();
      fill(status, 'Paused: resuming picks up where it stopped, missing nothing.');
    } else connect();
  });
  filter.addEventListener('input', () => {
    replaceQuery(new URLSearchParams(filter.value.trim() === '' ? {} : { category: filter.value.trim() }));
    redraw();
  });

  main.append(
    heading('Live'),
    h('div', { class: 'controls' }, pause, h('label', { for: 'live-category' }, 'Category'), filter),
    status,
    list,
  );
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    controller?.abort();
  };
};
