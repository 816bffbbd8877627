// #/verify/proof: a proof bundle (pasted or from a file) checked here against the trust anchor.
import type { VerifiedProof } from '@xinlian/protocol';
import { fromUtf8, toHex } from '@xinlian/protocol';
import { fields, fill, h, heading, hex } from '../dom.js';
import { formatTime, formatValue } from '../format.js';
import type { Page } from '../page.js';
import { resultView } from '../resultView.js';
import { href } from '../route.js';
import { trustAnchor, trustAnchorPanel } from '../trustAnchor.js';
import { CHECK_ORDER, failedOutcome } from '../verificationOutcome.js';
import { verifyBundleJson } from '../verifyInBrowser.js';

function provenFacts(proof: VerifiedProof): HTMLElement {
  const common: Array<[string, HTMLElement | string]> = [
    ['Chain', `${proof.chainId} (${proof.suite})`],
    ['Block', h('a', { href: href(['blocks', proof.height]) }, `Block ${proof.height}`)],
    ['Block hash', hex(proof.blockHash)], ['Block time', formatTime(proof.blockTimeMs)],
    ['Signed by', `${proof.signers.map((s) => `${s.name} (${s.org})`).join(', ')}: ${proof.signedPower} of ${proof.totalPower} voting power`],
  ];
  if (proof.tx !== undefined) {
    const { tx } = proof;
    common.push(['Tx', h('a', { href: href(['txs', tx.txId]) }, hex(tx.txId))], ['Type', tx.type],
      ['Signer', `${tx.signer.commonName} (${tx.signer.role ?? 'unknown role'}) of ${tx.signer.org}`],
      ['Result', tx.result.code === 'OK' ? 'OK' : `${tx.result.code}: ${tx.result.message}`]);
  }
  if (proof.state !== undefined) {
    const value = proof.state.value;
    common.push(['Key', h('code', null, fromUtf8(proof.state.key))],
      ['Value', value === null ? 'absent' : h('pre', { class: 'code', tabindex: 0 }, formatValue(toHex(value)).text)]);
  }
  return h('div', null, h('h2', null, 'What the proof shows'), fields(common));
}

export const verifyProofPage: Page = async ({ main }) => {
  const checked = resultView();
  const facts = h('div', null);
  const text = h('textarea', { id: 'bundle-json', 'aria-label': 'Proof bundle JSON', rows: 10, spellcheck: 'false', placeholder: '{"format": "xinlian-proof", ...}' });
  const file = h('input', { type: 'file', id: 'bundle-file', accept: '.json,application/json', 'aria-label': 'Proof bundle file' });
  const verify = h('button', { type: 'button' }, 'Verify');
  const reset = (): void => {
    checked.clear();
    fill(facts);
  };
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen === undefined) return;
    chosen.text().then((content) => {
      text.value = content;
      reset();
    }).catch((error: unknown) => checked.show(failedOutcome(CHECK_ORDER.tx, `the file could not be read: ${(error as Error).message}`, {}, 'bundle')));
  });
  verify.addEventListener('click', () => {
    reset();
    checked.busy('Checking the proof in this browser…');
    trustAnchor().then((anchor) => {
      let json: unknown;
      try {
        json = JSON.parse(text.value);
      } catch (error) {
        checked.show(failedOutcome(CHECK_ORDER.tx, `not JSON: ${(error as Error).message}`, {}, 'bundle'));
        return;
      }
      const result = verifyBundleJson(json, anchor.genesis);
      checked.show(result.outcome);
      if (result.outcome.verified && result.proof !== undefined) fill(facts, provenFacts(result.proof));
    }).catch((error: unknown) => checked.show(failedOutcome(CHECK_ORDER.tx, `no trust anchor: ${(error as Error).message}`, {}, 'chain')));
  });
  fill(main,
    heading('Verify a proof bundle'),
    h('p', null, 'A proof bundle (from the xinlian command, the SDK or a deposit receipt) shows a tx or a state value in a block. It is checked here, offline, against the genesis below: the Merkle branch, ≥2/3 validator signatures and the chain of validator sets from genesis.'),
    trustAnchorPanel(reset),
    h('p', { class: 'file-field' }, h('label', { for: 'bundle-json' }, 'Proof bundle JSON')),
    text,
    h('p', { class: 'file-field' }, h('label', { for: 'bundle-file' }, 'Proof bundle file'), ' ', file),
    h('p', null, verify),
    checked.elements,
    facts);
};
