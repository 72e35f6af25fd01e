import { getPage, messageOf, Stream } from '../api.js';
import { alert, fill, h, time } from '../dom.js';
import { heading, href, streamHref, type View } from '../main.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The streams that a search names: a whole stream id or a prefix of ids, a category, or an aggregate's own
 * id (a cart's UUID finds `shopping-cart-<uuid>`). Newest activity first.
 */
async function search(text: string): Promise<Stream[]> {
  const query = encodeURIComponent(text);
  const pages = await Promise.all([
    getPage<Stream>(`/streams?prefix=${query}&limit=100`),
    getPage<Stream>(`/streams?category=${query}&limit=100`),
    ...(UUID.test(text) ? [getPage<Stream>(`/streams?aggregateId=${query}&limit=100`)] : []),
  ]);
  const found = new Map<string, Stream>();
  for (const page of pages) for (const stream of page.items) found.set(stream.streamId, stream);
  return [...found.values()].sort((a, b) => b.lastPosition - a.lastPosition);
}

function table(streams: Stream[]): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Streams, newest activity first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Stream'),
          h('th', { scope: 'col' }, 'Category'),
          h('th', { scope: 'col' }, 'Version'),
          h('th', { scope: 'col' }, 'Positions'),
          h('th', { scope: 'col' }, 'Last event'),
        ),
      ),
      h(
        'tbody',
        {},
        streams.map((stream) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: streamHref(stream.streamId) }, stream.streamId)),
            h('td', {}, stream.category),
            h('td', { class: 'number' }, stream.version),
            h('td', { class: 'number' }, `${stream.firstPosition}–${stream.lastPosition}`),
            h('td', {}, time(stream.lastRecordedAt)),
          ),
        ),
      ),
    ),
  );
}

/** Streams: a search box labelled "Find a stream" and the streams it names (or the newest ones). */
export const streamsView: View = (main, params) => {
  const text = params.get('q') ?? '';
  const field = h('input', {
    id: 'find-stream',
    type: 'search',
    name: 'q',
    value: text,
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'search', role: 'search' },
    h('label', { for: 'find-stream' }, 'Find a stream'),
    field,
    h('button', { type: 'submit' }, 'Search'),
    h('p', { class: 'hint' }, 'A stream id, a cart or order id, an id prefix, or a category such as shopping-cart.'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = href('/streams', { q: field.value.trim() === '' ? undefined : field.value.trim() });
  });
  main.append(heading('Streams'), form, results);

  let alive = true;
  const show = (streams: Stream[], more: HTMLElement | null) => {
    if (!alive) return;
    const summary =
      text === ''
        ? `The newest streams`
        : streams.length === 0
          ? `No stream matches "${text}".`
          : `${streams.length === 1 ? '1 stream matches' : `${streams.length} streams match`} "${text}".`;
    fill(results, h('p', { class: 'summary' }, summary), streams.length > 0 ? table(streams) : null, more);
  };
  if (text !== '') {
    search(text).then(
      (streams) => show(streams, null),
      (error: unknown) => alive && fill(results, alert(messageOf(error))),
    );
  } else {
    const shown: Stream[] = [];
    const load = (path: string, fromButton = false) =>
      getPage<Stream>(path).then(
        ({ items, next }) => {
          const firstNew = shown.length;
          shown.push(...items);
          const more =
            next === undefined
              ? null
              : h('button', { type: 'button', onclick: () => void load(next, true) }, 'More streams');
          show(shown, more);
          // The button that had the focus is gone: hand it to the first stream it brought.
          if (fromButton) results.querySelectorAll<HTMLAnchorElement>('tbody a')[firstNew]?.focus();
        },
        (error: unknown) => alive && fill(results, alert(messageOf(error))),
      );
    void load('/streams?limit=50');
  }
  return () => {
    alive = false;
  };
};
