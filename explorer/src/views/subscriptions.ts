import { get, messageOf, post, Subscription } from '../api.js';
import { alert, fill, h, time } from '../dom.js';
import { heading, type View } from '../main.js';
import { chart, record } from './lag-chart.js';

const POLL_MS = 2000;

interface Row {
  row: HTMLTableRowElement;
  cells: { checkpoint: HTMLElement; head: HTMLElement; lag: HTMLElement; status: HTMLElement; parked: HTMLElement };
  parkedKey: string;
}

/** Subscriptions: every projection, saga (and publisher) with position, lag, status and parked events. */
export const subscriptionsView: View = (main) => {
  const messages = h('div', { 'aria-live': 'polite' });
  const chartBox = h('div', {});
  const body = h('tbody', {});
  const problem = h('div', {});
  const rows = new Map<string, Row>();
  let names: string[] = [];

  const retry = (name: string, position: number, button: HTMLButtonElement) => {
    button.disabled = true;
    post(`/subscriptions/${encodeURIComponent(name)}/parked/${position}/retry`)
      .then(
        () =>
          fill(
            messages,
            h(
              'p',
              { class: 'ok' },
              `The parked event at position ${position} of ${name} went through and is no longer parked.`,
            ),
          ),
        (error: unknown) => {
          button.disabled = false;
          fill(messages, alert(`Retrying the event at position ${position} of ${name} failed: ${messageOf(error)}`));
        },
      )
      .finally(() => void refresh());
  };

  const actions = (subscription: Subscription): HTMLElement => {
    const cell = h('td', {});
    if (subscription.kind !== 'projection') return cell;
    const start = () => {
      const confirm = h('button', { type: 'button', class: 'danger' }, `Rebuild ${subscription.name}`);
      const cancel = h('button', { type: 'button' }, 'Cancel');
      const question = h(
        'div',
        { role: 'group', 'aria-label': `Confirm the rebuild of ${subscription.name}` },
        h('p', {}, `Empty ${subscription.name}'s tables and replay every event into them? Reads go on meanwhile.`),
        confirm,
        cancel,
      );
      cancel.addEventListener('click', () => {
        fill(cell, rebuild);
        rebuild.focus();
      });
      confirm.addEventListener('click', () => {
        confirm.disabled = true;
        post(`/subscriptions/${encodeURIComponent(subscription.name)}/rebuild`)
          .then(
            () => fill(messages, h('p', { class: 'ok' }, `${subscription.name} is being rebuilt from position 0.`)),
            (error: unknown) => fill(messages, alert(messageOf(error))),
          )
          .finally(() => {
            fill(cell, rebuild);
            rebuild.focus();
            void refresh();
          });
      });
      fill(cell, question);
      confirm.focus();
    };
    const rebuild = h('button', { type: 'button', onclick: start }, 'Rebuild…');
    fill(cell, rebuild);
    return cell;
  };

  const parkedList = (subscription: Subscription): HTMLElement | string => {
    if (subscription.parked.length === 0) return 'None';
    return h(
      'ul',
      { class: 'parked' },
      subscription.parked.map((parked) => {
        const button = h(
          'button',
          {
            type: 'button',
            'aria-label': `Retry the parked event at position ${parked.position} of ${subscription.name}`,
          },
          'Retry',
        );
        button.addEventListener('click', () => retry(subscription.name, parked.position, button));
        return h(
          'li',
          {},
          `Position ${parked.position}: ${parked.type}, ${parked.attempts} attempts, parked `,
          time(parked.parkedAt),
          h('br', {}),
          h('span', { class: 'error' }, parked.error),
          ' ',
          button,
        );
      }),
    );
  };

  const status = (subscription: Subscription) =>
    [
      subscription.paused
        ? 'paused'
        : subscription.lastError === null
          ? 'running'
          : `failing: ${subscription.lastError}`,
      subscription.leader ? '' : ' (processed by another instance)',
    ].join('');

  const update = (subscriptions: Subscription[]) => {
    record(subscriptions);
    for (const subscription of subscriptions) {
      let entry = rows.get(subscription.name);
      if (entry === undefined) {
        const cells = {
          checkpoint: h('td', { class: 'number' }),
          head: h('td', { class: 'number' }),
          lag: h('td', { class: 'number' }),
          status: h('td', {}),
          parked: h('td', {}),
        };
        const row = h(
          'tr',
          {},
          h('th', { scope: 'row' }, subscription.name),
          h('td', {}, subscription.kind),
          cells.checkpoint,
          cells.head,
          cells.lag,
          cells.status,
          cells.parked,
          actions(subscription),
        );
        entry = { row, cells, parkedKey: '' };
        rows.set(subscription.name, entry);
        body.append(row);
      }
      entry.cells.checkpoint.textContent = String(subscription.checkpoint);
      entry.cells.head.textContent = String(subscription.headPosition);
      entry.cells.lag.textContent = String(subscription.lag);
      entry.cells.status.textContent = status(subscription);
      // Redrawn only when it changed, so a focused Retry button stays where it is between polls.
      const parkedKey = JSON.stringify(subscription.parked);
      if (parkedKey !== entry.parkedKey) {
        entry.parkedKey = parkedKey;
        fill(entry.cells.parked, parkedList(subscription));
      }
    }
    names = subscriptions.map((subscription) => subscription.name);
    fill(chartBox, chart(names));
  };

  let alive = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async () => {
    try {
      const subscriptions = await get<Subscription[]>('/subscriptions');
      if (!alive) return;
      fill(problem);
      update(subscriptions);
    } catch (error) {
      if (alive) fill(problem, alert(messageOf(error)));
    }
  };
  const poll = async () => {
    await refresh();
    if (alive) timer = setTimeout(() => void poll(), POLL_MS);
  };

  main.append(
    heading('Subscriptions'),
    problem,
    messages,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Subscriptions with their positions, status and parked events'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Name', 'Kind', 'Checkpoint', 'Head', 'Lag', 'Status', 'Parked events', 'Actions'].map((title) =>
              h('th', { scope: 'col' }, title),
            ),
          ),
        ),
        body,
      ),
    ),
    h('h2', {}, 'Lag'),
    chartBox,
  );
  void poll();
  return () => {
    alive = false;
    clearTimeout(timer);
  };
};
