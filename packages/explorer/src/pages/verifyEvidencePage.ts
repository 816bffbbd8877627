// #/verify/evidence: a document is hashed here with the chain's suite and checked against the
// proof of its deposit. Only the hash leaves the browser (GET /v1/evidence/<hash>), never the file.
import { ApiError, getJson, getOptional } from '../api.js';
import type { EvidenceView } from '../apiTypes.js';
import { fields, fill, h, heading, hex } from '../dom.js';
import { formatTime } from '../format.js';
import type { Page } from '../page.js';
import { proofDownload } from '../proofDownload.js';
import { resultView } from '../resultView.js';
import { href } from '../route.js';
import { trustAnchor, trustAnchorPanel } from '../trustAnchor.js';
import { CHECK_ORDER, failedOutcome } from '../verificationOutcome.js';
import { documentHash, hashSentence, noDepositOutcome, verifyEvidenceJson } from '../verifyInBrowser.js';

export const verifyEvidencePage: Page = async ({ main, signal }) => {
  const checked = resultView();
  const certificate = h('div', null);
  const input = h('input', { type: 'file', id: 'document-file', 'aria-label': 'Document to check' });
  const check = async (file: File): Promise<void> => {
    fill(certificate);
    checked.busy(`Hashing ${file.name} in this browser…`);
    const anchor = await trustAnchor();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const hash = documentHash(bytes, anchor.genesis);
    const hashLine = hashSentence(hash, anchor.genesis, bytes.length);
    checked.busy(`Looking up a deposit of ${hash}…`);
    let deposit: EvidenceView | undefined;
    try {
      deposit = await getOptional<EvidenceView>(`/v1/evidence/${hash}`, signal);
    } catch (error) {
      const reason = error instanceof ApiError && error.code === 'READ_FORBIDDEN' ? 'this node lets only some members read deposits (a read rule)' : (error as Error).message;
      checked.show(failedOutcome(CHECK_ORDER.evidence, `the deposit could not be looked up: ${reason}`, { hash: hashLine }, 'deposit'));
      return;
    }
    if (deposit === undefined) {
      checked.show(noDepositOutcome(hashLine).outcome);
      return;
    }
    const json = await getJson<unknown>(`/v1/proofs/tx/${deposit.txId}`, signal);
    const result = verifyEvidenceJson(hash, json, anchor.genesis, {
      hash: hashLine, deposit: `the node points to tx ${deposit.txId} in block ${deposit.height}; the proof of that tx is checked next`,
    });
    // The deposit's tx proof is what verifyEvidence checked: with the document, it is the evidence.
    checked.show(result.outcome, result.outcome.verified ? proofDownload(json, deposit.txId, signal) : undefined);
    const proven = result.certificate;
    if (proven !== undefined) {
      fill(certificate, h('h2', null, 'Evidence certificate'), fields([
        ['Document', `${proven.title}`], [`${proven.hashAlgorithm} of the document`, hex(proven.documentHash)],
        ['Deposited by', `${proven.depositor.commonName} of ${proven.depositor.org}`], ['Block time', formatTime(proven.blockTimeMs)],
        ['Block', h('a', { href: href(['blocks', proven.height]) }, `Block ${proven.height}`)], ['Tx', h('a', { href: href(['txs', proven.txId]) }, hex(proven.txId))],
        ['Signed by', proven.validators.map((v) => `${v.name} (${v.org})`).join(', ')],
      ]));
    }
  };
  const start = (file: File | undefined): void => {
    if (file === undefined) return;
    check(file).catch((error: unknown) => {
      if (!signal.aborted) checked.show(failedOutcome(CHECK_ORDER.evidence, `the check stopped: ${(error as Error).message}`, {}, 'deposit'));
    });
  };
  input.addEventListener('change', () => start(input.files?.[0]));
  const zone = h('div', { class: 'drop-zone' },
    h('p', null, 'Drop a document here, or choose it. It is hashed in this browser and never uploaded.'),
    h('p', { class: 'file-field' }, h('label', { for: 'document-file' }, 'Document to check'), ' ', input));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    start(event.dataTransfer?.files[0]);
  });
  fill(main,
    heading('Verify a document'),
    h('p', null, 'Checks that a file is exactly the one deposited on this chain: its hash is computed here, the node is asked only for the deposit of that hash and its proof, and the proof is checked here against the genesis below: the Merkle branch from the tx to the block, the validators’ signatures (≥2/3 of the voting power) and the validator set’s descent from genesis.'),
    trustAnchorPanel(() => {
      checked.clear();
      fill(certificate);
    }),
    zone,
    checked.elements,
    certificate);
};
