// The result of a verification as every verification page shows it: a status region whose text
// starts with "Verified" or "Not verified", the list of checks with the failing one marked, and
// what to keep (the proof bundle to download) once it verified.
import { fill, h, type Child } from './dom.js';
import type { CheckLine, VerificationOutcome } from './verificationOutcome.js';

const MARKS: Record<CheckLine['status'], string> = { passed: '✓', failed: '✗', 'not checked': '–' };

export interface ResultView {
  /** The status region, the checks list and the place for what to keep, to place on the page. */
  elements: HTMLElement[];
  busy(text: string): void;
  /** `keep` (the proof download) is shown below the checks until the next result or clear(). */
  show(outcome: VerificationOutcome, keep?: Child): void;
  clear(): void;
}

function checkItem(check: CheckLine): HTMLElement {
  return h('li', { class: `check check-${check.status.replace(' ', '-')}`, 'data-check': check.id, 'data-status': check.status },
    h('span', { class: 'check-mark', 'aria-hidden': 'true' }, MARKS[check.status]),
    ' ',
    h('span', { class: 'check-status' }, check.status),
    ': ',
    h('span', { class: 'check-label' }, check.label),
    check.details.length === 0 ? null : h('ul', { class: 'check-details' }, check.details.map((detail) => h('li', null, detail))));
}

export function resultView(): ResultView {
  const region = h('section', { role: 'status', 'aria-label': 'Verification result', class: 'result' });
  const list = h('ol', { 'aria-label': 'Checks', class: 'checks', hidden: true });
  // Outside the status region: the download is not part of what is announced.
  const kept = h('div', { class: 'result-keep' });
  return {
    elements: [region, list, kept],
    busy(text) {
      region.className = 'result result-busy';
      fill(region, text);
      fill(kept);
    },
    show(outcome, keep) {
      region.className = `result ${outcome.verified ? 'result-ok' : 'result-failed'}`;
      fill(region, h('p', { class: 'headline' }, outcome.headline));
      fill(list, outcome.checks.map(checkItem));
      list.hidden = false;
      fill(kept, keep);
    },
    clear() {
      region.className = 'result';
      fill(region);
      fill(list);
      list.hidden = true;
      fill(kept);
    },
  };
}
