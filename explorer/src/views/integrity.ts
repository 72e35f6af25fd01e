import { get, IntegrityCheck, IntegrityReport, messageOf, start } from '../api.js';
import { alert, fill, h } from '../dom.js';
import { heading, streamHref, type View } from '../main.js';

/** Integrity: runs the hash-chain check and names the first broken event. */
export const integrityView: View = (main) => {
  const field = h('input', { id: 'integrity-stream', type: 'text', spellcheck: 'false', autocomplete: 'off' });
  const button = h('button', { type: 'submit' }, 'Run the integrity check');
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'search' },
    h('label', { for: 'integrity-stream' }, 'Stream or aggregate id (empty: every stream)'),
    field,
    button,
  );
  let alive = true;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const streamId = field.value.trim();
    button.disabled = true;
    fill(result, h('p', {}, 'Checking every event’s hash…'));
    const report =
      streamId === ''
        ? wholeLog(
            (check) => alive && fill(result, h('p', {}, progressOf(check))),
            () => alive,
          )
        : get<IntegrityReport>(`/admin/integrity?streamId=${encodeURIComponent(streamId)}`);
    report
      .then(
        (done) => alive && fill(result, reportOf(done)),
        (error: unknown) => alive && fill(result, alert(messageOf(error))),
      )
      .finally(() => (button.disabled = false));
  });
  main.append(
    heading('Integrity'),
    h(
      'p',
      {},
      'Recomputes every stored event’s hash from its content and its predecessor’s, and stops at the first that does not match.',
    ),
    form,
    result,
  );
  return () => {
    alive = false;
  };
};

/**
 * The whole log is checked as a background job on the service (a long scan never holds a request open):
 * start it, then follow it until it ends.
 */
async function wholeLog(progress: (check: IntegrityCheck) => void, alive: () => boolean): Promise<IntegrityReport> {
  const location = await start('/admin/integrity/checks');
  for (;;) {
    const check = await get<IntegrityCheck>(location);
    if (check.status === 'done' && check.report !== null) return check.report;
    if (check.status !== 'running') {
      throw new Error(
        `The integrity check ${check.status}${check.error === null ? '' : `: ${check.error}`}; run it again.`,
      );
    }
    if (!alive()) throw new Error('left the page');
    progress(check);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function progressOf({ streamsChecked, eventsChecked }: IntegrityCheck): string {
  return `Checking every event’s hash… ${streamsChecked} streams and ${eventsChecked} events so far.`;
}

function reportOf({ ok, streamsChecked, eventsChecked, firstBroken }: IntegrityReport): HTMLElement {
  const counted = `${streamsChecked} stream${streamsChecked === 1 ? '' : 's'} and ${eventsChecked} event${eventsChecked === 1 ? '' : 's'} checked.`;
  if (ok || firstBroken === null) return h('p', { class: 'ok' }, `Every hash chain is intact: ${counted}`);
  return h(
    'div',
    { class: 'broken' },
    h('p', {}, h('strong', {}, 'The log is broken. '), counted),
    h(
      'p',
      {},
      'First broken event: ',
      h(
        'a',
        { href: streamHref(firstBroken.streamId, firstBroken.version) },
        `${firstBroken.streamId}, version ${firstBroken.version}`,
      ),
      ` (position ${firstBroken.position}): ${firstBroken.reason}.`,
    ),
  );
}
