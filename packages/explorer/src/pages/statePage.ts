// #/state?key=<key>: a key's value (pretty JSON when it is JSON), its history, and a state proof
// checked here.
import { getJson } from '../api.js';
import type { KeyHistoryView, StateValueView } from '../apiTypes.js';
import { fields, fill, h, heading, hex, table } from '../dom.js';
import { formatValue, shortHash } from '../format.js';
import type { Page } from '../page.js';
import { proofDownload } from '../proofDownload.js';
import { resultView } from '../resultView.js';
import { href } from '../route.js';
import { trustAnchor, trustAnchorPanel } from '../trustAnchor.js';
import { CHECK_ORDER, failedOutcome } from '../verificationOutcome.js';
import { verifyBundleJson } from '../verifyInBrowser.js';

function valueView(value: string | null): HTMLElement {
  if (value === null) return h('p', null, 'No value: the key is absent.');
  const shown = formatValue(value);
  return h('pre', { class: 'code', tabindex: 0, 'aria-label': 'Value' }, shown.text);
}

export const statePage: Page = async ({ main, route, signal }) => {
  const key = route.query.get('key') ?? '';
  if (key === '') {
    fill(main, heading('State'), h('p', null, 'Type a state key in the search box, for example sys/contract/traceability.'));
    return;
  }
  const query = `key=${encodeURIComponent(key)}`;
  const [state, history] = await Promise.all([
    getJson<StateValueView>(`/v1/state?${query}`, signal),
    getJson<KeyHistoryView>(`/v1/state/history?${query}&limit=100`, signal),
  ]);
  const checked = resultView();
  const verify = h('button', { type: 'button' }, 'Verify in this browser');
  verify.addEventListener('click', () => {
    checked.busy('Checking the state proof in this browser…');
    Promise.all([getJson<unknown>(`/v1/proofs/state?${query}&height=${state.height}`, signal), trustAnchor()])
      .then(([json, anchor]) => {
        const verified = verifyBundleJson(json, anchor.genesis, { key, height: state.height });
        const proven = verified.proof?.state;
        const provenHex = proven === undefined || proven.value === null ? null : Array.from(proven.value, (b) => b.toString(16).padStart(2, '0')).join('');
        // The value shown above is the node's answer; the proof must show that same value.
        if (verified.outcome.verified && provenHex !== state.value) {
          checked.show(failedOutcome(CHECK_ORDER.state, 'the proven value differs from the value the node showed', {}, 'merkle'));
        } else checked.show(verified.outcome, verified.outcome.verified ? proofDownload(json, key, signal) : undefined);
      })
      .catch((error: unknown) => checked.show(failedOutcome(CHECK_ORDER.state, `the proof could not be fetched: ${(error as Error).message}`, {}, 'bundle')));
  });
  fill(main,
    heading('State'),
    fields([['Key', h('code', null, key)], ['At block', String(state.height)], ['Key bytes (hex)', hex(state.key)]]),
    h('h2', null, 'Value'),
    valueView(state.value),
    h('h2', null, 'History'),
    table('History', ['Block', 'Tx'], history.changes.map((c) => [
      h('a', { href: href(['blocks', c.height]) }, String(c.height)),
      /^0+$/.test(c.txId) ? 'genesis' : h('a', { href: href(['txs', c.txId]) }, h('code', { class: 'hex' }, shortHash(c.txId, 20))),
    ]), 'No changes recorded'),
    h('h2', null, 'Proof'),
    trustAnchorPanel(() => checked.clear()),
    h('p', null, verify),
    checked.elements);
};
