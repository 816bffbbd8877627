// #/txs/<id>: a tx's type, signer, block, result, events and payload, and its proof checked here.
import { ApiError, getJson } from '../api.js';
import type { TxStatusView } from '../apiTypes.js';
import { fields, fill, h, heading, hex, table } from '../dom.js';
import { formatTime } from '../format.js';
import type { Page } from '../page.js';
import { proofDownload } from '../proofDownload.js';
import { resultView } from '../resultView.js';
import { href } from '../route.js';
import { trustAnchor, trustAnchorPanel } from '../trustAnchor.js';
import { txDetailsOf, type TxDetails } from '../txDetails.js';
import { CHECK_ORDER, failedOutcome } from '../verificationOutcome.js';
import { verifyBundleJson } from '../verifyInBrowser.js';
import type { ProofBundle } from '@xinlian/protocol';

export const txPage: Page = async ({ main, route, signal }) => {
  const txId = route.segments[1]!.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(txId)) throw new ApiError(404, 'NOT_FOUND', `"${txId}" is not a tx id (64 hex digits)`);
  const status = await getJson<TxStatusView>(`/v1/txs/${txId}`, signal);
  if (status.status === 'pending') {
    fill(main, heading('Transaction'), fields([['Tx id', hex(txId)], ['Status', 'pending: accepted by the node, not in a block yet']]));
    return;
  }
  const bundle = await getJson<ProofBundle>(`/v1/proofs/tx/${txId}`, signal);
  let details: TxDetails | undefined;
  try {
    details = txDetailsOf(bundle);
  } catch {
    // Shown as undecodable; the verification below says what is wrong with the bytes.
  }
  const result = status.result!;
  const checked = resultView();
  const verify = h('button', { type: 'button' }, 'Verify in this browser');
  verify.addEventListener('click', () => {
    checked.busy('Checking the proof in this browser…');
    Promise.all([getJson<unknown>(`/v1/proofs/tx/${txId}`, signal), trustAnchor()])
      .then(([json, anchor]) => {
        const { outcome } = verifyBundleJson(json, anchor.genesis, { txId });
        checked.show(outcome, outcome.verified ? proofDownload(json, txId, signal) : undefined);
      })
      .catch((error: unknown) => checked.show(failedOutcome(CHECK_ORDER.tx, `the proof could not be fetched: ${(error as Error).message}`, {}, 'bundle')));
  });
  fill(main,
    heading('Transaction'),
    fields([
      ['Tx id', hex(txId)],
      ['Type', status.type ?? details?.type ?? '—'],
      ['Signer', details === undefined ? 'unknown' : `${details.signer.commonName} (${details.signer.role}) of ${details.signer.org}`],
      ['Block', h('a', { href: href(['blocks', status.height!]) }, `Block ${status.height}`)],
      ['Position in block', String(status.index)],
      ['Block time', formatTime(status.blockTimeMs ?? Number.NaN)],
      ['Result', result.code === 'OK' ? 'OK' : `${result.code}${result.message === '' ? '' : `: ${result.message}`}`],
    ]),
    h('h2', null, 'Events'),
    table('Events', ['Type', 'Attributes'], result.events.map((e) => [e.type,
      h('dl', { class: 'attributes' }, Object.entries(e.attributes).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))]), 'No events'),
    h('h2', null, 'Payload'),
    details === undefined
      ? h('p', null, 'The payload could not be decoded.')
      : [h('p', null, details.payload.kind), h('pre', { class: 'code', tabindex: 0, 'aria-label': 'Payload' }, JSON.stringify(details.payload.value, null, 2))],
    h('p', { class: 'note' }, 'Signer and payload are decoded from the tx bytes in its proof bundle; the check below proves those bytes are in the block the validators signed.'),
    h('h2', null, 'Proof'),
    trustAnchorPanel(() => checked.clear()),
    h('p', null, verify),
    checked.elements);
};
