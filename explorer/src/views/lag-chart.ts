// The Subscriptions view's chart of lag over the last minutes, drawn from the samples its polls record.
import type { Subscription } from '../api.js';
import { h, svg } from '../dom.js';

const WINDOW_MS = 5 * 60_000;
const COLOURS = ['#1f5fbf', '#b3401a', '#2e7d32', '#7b3fa0', '#8a6d00', '#00707a'];

/** Lag samples per subscription, kept while the page is open so the chart has a past when the view returns. */
const history = new Map<string, { at: number; lag: number }[]>();

export function record(subscriptions: Subscription[]): void {
  const now = Date.now();
  for (const { name, lag } of subscriptions) {
    const samples = history.get(name) ?? [];
    samples.push({ at: now, lag });
    while (samples.length > 0 && samples[0]!.at < now - WINDOW_MS) samples.shift();
    history.set(name, samples);
  }
}

export function chart(names: string[]): Element {
  const width = 600;
  const height = 160;
  const now = Date.now();
  const max = Math.max(1, ...names.flatMap((name) => (history.get(name) ?? []).map((sample) => sample.lag)));
  const x = (at: number) => ((at - (now - WINDOW_MS)) / WINDOW_MS) * width;
  const y = (lag: number) => height - 4 - (lag / max) * (height - 8);
  const lines = names.map((name, index) =>
    svg('polyline', {
      points: (history.get(name) ?? [])
        .map((sample) => `${x(sample.at).toFixed(1)},${y(sample.lag).toFixed(1)}`)
        .join(' '),
      fill: 'none',
      stroke: COLOURS[index % COLOURS.length]!,
      'stroke-width': 2,
    }),
  );
  const latest = names.map((name) => `${name} ${history.get(name)?.at(-1)?.lag ?? 0}`).join(', ');
  const picture = svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': `Lag over the last 5 minutes, highest ${max} events; now: ${latest}`,
      class: 'chart',
    },
    svg('rect', { x: 0, y: 0, width, height, fill: '#fff', stroke: '#767676' }),
    ...lines,
  );
  return h(
    'figure',
    {},
    picture,
    h(
      'figcaption',
      {},
      `Lag (events behind the head) over the last 5 minutes; top of the chart: ${max}. `,
      ...names.map((name, index) =>
        h(
          'span',
          { class: 'legend' },
          svg(
            'svg',
            { width: 14, height: 14, 'aria-hidden': 'true' },
            svg('rect', { width: 14, height: 14, fill: COLOURS[index % COLOURS.length]! }),
          ),
          name,
        ),
      ),
    ),
  );
}
