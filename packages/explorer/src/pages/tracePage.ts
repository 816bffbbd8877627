// #/trace?id=<identifier>: a product's journey from the traceability contract, every ledger entry
// behind it proven and checked here, and any recall that reached it.
import { fromUtf8 } from '@xinlian/protocol';
import { ApiError, getJson, mapLimited, postJson } from '../api.js';
import type { EvaluateView } from '../apiTypes.js';
import { fields, fill, h, heading } from '../dom.js';
import { provenanceArgs, qrTargetOf, traceIdFromInput } from '../digitalLink.js';
import { formatTime } from '../format.js';
import {
  journeyEventHashes, journeySteps, stepCheckText, stepPlace, summaryFromRecord, summaryMismatch, traceProofRequests,
  type EventRecordView, type EventSummaryView, type ProvenanceView, type StepCheck,
} from '../journey.js';
import type { Page } from '../page.js';
import { offlineCheckNote, proofBlobUrl, proofDownloadLink } from '../proofDownload.js';
import { qrSvg } from '../qrSvg.js';
import { resultView } from '../resultView.js';
import { href } from '../route.js';
import { trustAnchor, trustAnchorPanel } from '../trustAnchor.js';
import { CHECK_ORDER, combinedOutcome, failedOutcome, type VerificationOutcome } from '../verificationOutcome.js';
import { verifyBundleJson } from '../verifyInBrowser.js';

const CONTRACT = 'traceability';
const PROOFS_IN_FLIGHT = 6;
/** State keys of the contract's event records and recall records. */
const EVENT_PREFIX = `c/${CONTRACT}/e/`;
const RECALL_PREFIX = `c/${CONTRACT}/r/`;

interface RecallStatusView {
  id: string;
  recall: { reason: string; org: string; height: number } | null;
  affectedBy: Array<{ recalled: string; height: number }>;
}

function codeForm(id: string): HTMLFormElement {
  const problem = h('p', { id: 'product-code-problem', class: 'error', role: 'alert', hidden: true });
  const input = h('input', { type: 'text', id: 'product-code', name: 'id', value: id, 'aria-label': 'Product code', autocomplete: 'off', spellcheck: 'false', placeholder: 'urn:epc:id:sgtin:… or https://id.gs1.org/01/…' });
  return h('form', {
    class: 'trace-form',
    onsubmit: (event: Event) => {
      event.preventDefault();
      const next = traceIdFromInput(input.value, location.origin);
      // A mistyped or misread GTIN would only find nothing: say what is wrong with it instead.
      problem.hidden = next.ok;
      input.setAttribute('aria-invalid', String(!next.ok));
      if (!next.ok) {
        input.setAttribute('aria-describedby', problem.id);
        fill(problem, `This product code cannot be traced: ${next.problem}.`);
        return;
      }
      input.removeAttribute('aria-describedby');
      if (next.id !== '') location.hash = href(['trace'], { id: next.id });
    },
  }, h('label', { for: 'product-code' }, 'Product code'), ' ', input, ' ', h('button', { type: 'submit' }, 'Trace'), problem);
}

/** The product's QR code, to scan with a phone (or to print on a label). */
function qrFigure(id: string): HTMLElement {
  const target = qrTargetOf(id, `${location.origin}${location.pathname}`);
  let code: SVGElement;
  try {
    code = qrSvg(target);
  } catch {
    return h('p', { class: 'note' }, `The link of this product is too long for a QR code here: ${target}`);
  }
  return h('figure', { class: 'trace-qr' }, code, h('figcaption', null, 'Scan to open ', h('code', { class: 'hex' }, target)));
}

function evaluate(op: string, args: unknown, signal: AbortSignal): Promise<EvaluateView> {
  return postJson<EvaluateView>(`/v1/contracts/${CONTRACT}/evaluate`, { op, args }, signal);
}

function failureText(error: unknown, id: string): string {
  if (error instanceof ApiError && /^ID_UNKNOWN/.test(error.message)) return `No recorded event names ${id}.`;
  if (error instanceof ApiError && error.code === 'CONTRACT_NOT_FOUND') return 'The traceability contract is not deployed on this chain.';
  return `The journey could not be loaded: ${(error as Error).message}`;
}

export const tracePage: Page = async ({ main, route, signal }) => {
  const id = route.query.get('id') ?? '';
  const intro = h('p', null, 'Paste an EPC (urn:epc:id:…, urn:epc:class:…) or a GS1 Digital Link (https://id.gs1.org/01/…) from a product’s QR code. The journey comes from the traceability contract; every ledger entry behind it is proven by the node and checked in this browser.');
  if (id === '') {
    fill(main, heading('Product journey'), intro, codeForm(''));
    return;
  }
  let provenance: EvaluateView;
  try {
    provenance = await evaluate('provenance', provenanceArgs(id), signal);
  } catch (error) {
    fill(main, heading('Product journey'), codeForm(id), h('p', { role: 'alert', class: 'error' }, failureText(error, id)));
    return;
  }
  const answer = provenance.result as ProvenanceView;
  const recall = await evaluate('recallStatus', { id }, signal).catch(() => undefined);
  const recallView = recall?.result as RecallStatusView | undefined;
  const recalledIds = [...new Set([...(recallView?.affectedBy.map((a) => a.recalled) ?? []), ...(recallView?.recall === null || recallView?.recall === undefined ? [] : [id]), ...answer.recalls])];

  const checks = new Map<string, StepCheck>();
  // The Blob URL of each verified step's proof bundle (its event record's state proof), made once:
  // the journey is drawn again as every check arrives.
  const stepProofs = new Map<string, string>();
  const summaries: Record<string, EventSummaryView> = { ...(answer.summaries ?? {}) };
  const journey = h('ol', { 'aria-label': 'Journey', class: 'journey' });
  const alert = h('div', null);
  const checked = resultView();
  const renderJourney = (): void => {
    const steps = journeySteps(summaries, checks);
    fill(journey, steps.length === 0 ? h('li', null, 'No events') : steps.map((step) => h('li', { class: `step step-${step.check.state}`, 'data-hash': step.hash },
      h('p', { class: 'step-title' }, h('strong', null, step.summary.type), step.summary.bizStep === undefined ? '' : ` · ${step.summary.bizStep}`, step.summary.action === undefined ? '' : ` (${step.summary.action})`),
      h('p', null, `${step.summary.org} · ${Number.isNaN(Date.parse(step.summary.eventTime)) ? step.summary.eventTime : formatTime(Date.parse(step.summary.eventTime))}`, stepPlace(step.summary) === undefined ? '' : ` · ${stepPlace(step.summary)}`),
      h('p', null, h('a', { href: href(['blocks', step.summary.height]) }, `block ${step.summary.height}`), ' · ', h('span', { class: 'step-check' }, stepCheckText(step.check)),
        step.check.state !== 'verified' || !stepProofs.has(step.hash) ? null
          : [' · ', proofDownloadLink(stepProofs.get(step.hash)!, `${EVENT_PREFIX}${step.hash}`, `Download proof bundle of the ${step.summary.type} in block ${step.summary.height}`)]))));
  };
  const recallFacts: Map<string, string> = new Map();
  const renderAlert = (): void => {
    if (recalledIds.length === 0) {
      fill(alert, h('p', { class: 'ok' }, 'No recall has reached this product.'));
      return;
    }
    fill(alert, h('div', { role: 'alert', class: 'recall-alert' },
      h('h2', null, 'Recalled'),
      h('ul', null, recalledIds.map((recalled) => h('li', null,
        recalled === id ? 'This identifier itself was recalled' : `Affected by the recall of ${recalled}`,
        recallFacts.has(recalled) ? `: ${recallFacts.get(recalled)!}` : '')))));
  };
  const nodesOf = (walk: ProvenanceView['upstream']): string[] => (walk?.nodes ?? []).filter((n) => n.depth > 0).map((n) => n.id);
  fill(main,
    heading('Product journey'),
    codeForm(id),
    fields([
      ['Identifier', h('code', null, answer.id)], ['Kind', answer.kind], ['As of block', String(provenance.height)],
      ['Came from', nodesOf(answer.upstream).join(', ') || '—'], ['Went into', nodesOf(answer.downstream).join(', ') || '—'],
    ]),
    qrFigure(answer.id),
    alert,
    h('h2', null, 'Journey'),
    journey,
    h('h2', null, 'What was checked'),
    h('p', null, `Each step is an event stored on the ledger under its hash. The browser fetched a state proof of every entry the answer rests on, at block ${provenance.height}, and checked each against the genesis below: the Merkle branch to the block’s state root, ≥2/3 validator signatures and the chain from genesis. The proofs show that each listed event exists; they cannot show that no other event exists.`),
    h('p', null, 'Each verified step offers its proof bundle (the state proof of its event record) to download. ', offlineCheckNote()),
    trustAnchorPanel(() => void 0),
    checked.elements);
  for (const hash of journeyEventHashes(answer)) if (summaries[hash] === undefined) checks.set(hash, { state: 'checking' });
  renderJourney();
  renderAlert();

  const anchor = await trustAnchor();
  const requests = traceProofRequests(CONTRACT, { height: provenance.height, reads: provenance.reads, result: answer },
    recall === undefined ? undefined : { height: recall.height, reads: recall.reads, recalled: recalledIds.filter((r) => r !== id) });
  checked.busy(`Checking ${requests.length} ledger entries in this browser…`);
  const outcomes: VerificationOutcome[] = await mapLimited(requests, PROOFS_IN_FLIGHT, async ({ key, height }) => {
    let outcome: VerificationOutcome;
    let value: string | null = null;
    let json: unknown;
    try {
      json = await getJson<unknown>(`/v1/proofs/state?key=${encodeURIComponent(key)}&height=${height}`, signal);
      const verified = verifyBundleJson(json, anchor.genesis, { key, height });
      outcome = verified.outcome;
      const proven = verified.proof?.state?.value;
      value = proven === undefined || proven === null ? null : fromUtf8(proven);
    } catch (error) {
      if (signal.aborted) throw error;
      outcome = failedOutcome(CHECK_ORDER.state, `the proof of ${key} could not be fetched: ${(error as Error).message}`, {}, 'bundle');
    }
    if (key.startsWith(EVENT_PREFIX)) {
      const hash = key.slice(EVENT_PREFIX.length);
      let check: StepCheck = outcome.verified ? { state: 'verified' } : { state: 'failed', reason: outcome.headline.replace(/^Not verified: /, '') };
      if (outcome.verified) {
        const record = value === null ? undefined : JSON.parse(value) as EventRecordView;
        const mismatch = record === undefined ? 'the ledger has no such event' : summaries[hash] === undefined ? undefined : summaryMismatch(summaries[hash]!, record);
        if (record !== undefined && summaries[hash] === undefined) summaries[hash] = summaryFromRecord(record);
        if (mismatch !== undefined) check = { state: 'failed', reason: mismatch };
      }
      if (check.state === 'verified') stepProofs.set(hash, proofBlobUrl(json, signal));
      checks.set(hash, check);
      renderJourney();
    } else if (key.startsWith(RECALL_PREFIX) && value !== null && outcome.verified) {
      const record = JSON.parse(value) as { reason?: string; org?: string; height?: number };
      recallFacts.set(key.slice(RECALL_PREFIX.length), `${record.reason ?? ''} (recalled by ${record.org ?? '?'} in block ${record.height ?? '?'}, verified)`);
      renderAlert();
    }
    return outcome;
  });
  checked.show(combinedOutcome(CHECK_ORDER.state, outcomes, 'ledger entries'));
};
