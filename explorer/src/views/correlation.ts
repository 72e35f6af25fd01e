import { get, messageOf, StoredEvent } from '../api.js';
import { alert, fill, h, json, time } from '../dom.js';
import { heading, streamHref, type View } from '../main.js';

/** A correlation: one request and everything it caused, across streams, in the log's order. */
export const correlationView: View = (main, params, correlationId) => {
  const highlighted = params.get('event');
  const body = h('div', { 'aria-live': 'polite' }, 'Loading…');
  main.append(heading('Correlation'), h('p', {}, 'Correlation id ', h('code', {}, correlationId)), body);
  let alive = true;
  get<StoredEvent[]>(`/events?correlationId=${encodeURIComponent(correlationId)}&limit=1000`).then(
    (events) => {
      if (!alive) return;
      if (events.length === 0) return fill(body, 'No event carries this correlation id.');
      const streams = new Set(events.map((event) => event.streamId)).size;
      fill(
        body,
        h(
          'p',
          { class: 'summary' },
          `${events.length} event${events.length === 1 ? '' : 's'} across ${streams} stream${streams === 1 ? '' : 's'}, in the order they were recorded.`,
        ),
        h(
          'ol',
          { class: 'story' },
          events.map((event) =>
            h(
              'li',
              {
                class: event.eventId === highlighted ? 'highlighted' : undefined,
                'aria-current': event.eventId === highlighted ? 'true' : undefined,
              },
              h(
                'p',
                { class: 'story-head' },
                h('strong', {}, event.type),
                ' in ',
                h(
                  'a',
                  { href: streamHref(event.streamId, event.version) },
                  `${event.streamId}, version ${event.version}`,
                ),
              ),
              h(
                'p',
                { class: 'meta' },
                `Position ${event.position} · `,
                time(event.recordedAt),
                event.metadata.actor === undefined ? '' : ` · by ${event.metadata.actor}`,
              ),
              h('details', {}, h('summary', {}, 'Data and metadata'), json(event.data), json(event.metadata)),
            ),
          ),
        ),
      );
    },
    (error: unknown) => alive && fill(body, alert(messageOf(error))),
  );
  return () => {
    alive = false;
  };
};
