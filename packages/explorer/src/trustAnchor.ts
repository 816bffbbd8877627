// The trust anchor of the verification pages: the genesis every proof is checked against. By
// default it is the genesis this node serves, which means trusting the node for it; a genesis.json
// from the consortium, loaded from a file, removes that trust.
import { parseGenesis, type Genesis } from '@xinlian/protocol';
import { getJson } from './api.js';
import { fill, h } from './dom.js';
import { genesisFingerprint, hashAlgorithmOf } from './genesisFingerprint.js';

export interface TrustAnchor {
  genesis: Genesis;
  fingerprint: string;
  source: 'node' | 'file';
  fileName?: string;
}

let current: TrustAnchor | undefined;
let fromNode: Promise<TrustAnchor> | undefined;

function anchorOf(json: unknown, source: 'node' | 'file', fileName?: string): TrustAnchor {
  const genesis = parseGenesis(json);
  return { genesis, fingerprint: genesisFingerprint(genesis), source, ...(fileName === undefined ? {} : { fileName }) };
}

function nodeAnchor(): Promise<TrustAnchor> {
  fromNode ??= getJson<unknown>('/v1/genesis').then((json) => anchorOf(json, 'node')).catch((error: unknown) => {
    fromNode = undefined;
    throw error;
  });
  return fromNode;
}

/** The genesis proofs are checked against now (the node's until a file is loaded). */
export async function trustAnchor(): Promise<TrustAnchor> {
  return current ?? nodeAnchor();
}

function describe(anchor: TrustAnchor): HTMLElement[] {
  const source = anchor.source === 'node'
    ? h('p', { class: 'anchor-source' }, 'Genesis served by this node. This trusts the node for the genesis: compare the fingerprint with the one your consortium publishes, or load the consortium’s genesis.json below to check against that instead.')
    : h('p', { class: 'anchor-source' }, `Genesis from your file ${anchor.fileName ?? ''}: proofs are checked against it, not against anything the node says about the chain.`);
  return [source, h('dl', { class: 'fields' },
    h('dt', null, 'Chain'), h('dd', null, `${anchor.genesis.chainId} (${anchor.genesis.suite})`),
    h('dt', null, `Genesis fingerprint (${hashAlgorithmOf(anchor.genesis.suite)})`), h('dd', null, h('code', { class: 'hex', 'data-fingerprint': '' }, anchor.fingerprint)),
    h('dt', null, 'Validators in genesis'), h('dd', null, anchor.genesis.validators.map((v) => `${v.name} (${v.org})`).join(', ')))];
}

/**
 * The panel that shows the trust anchor and lets a person load a genesis file. `onChange` runs
 * when the anchor changes, so a page can drop results checked against the old one.
 */
export function trustAnchorPanel(onChange: () => void): HTMLElement {
  const body = h('div', null, 'Loading the genesis…');
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const useNode = h('button', { type: 'button', hidden: true }, 'Use the node’s genesis');
  const input = h('input', { type: 'file', accept: '.json,application/json', 'aria-label': 'Genesis file', id: 'genesis-file' });
  const show = (anchor: TrustAnchor): void => {
    fill(body, describe(anchor));
    useNode.hidden = anchor.source === 'node';
  };
  const failed = (message: string): void => {
    problem.hidden = false;
    fill(problem, message);
  };
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file === undefined) return;
    problem.hidden = true;
    file.text().then((text) => {
      current = anchorOf(JSON.parse(text), 'file', file.name);
      show(current);
      onChange();
    }).catch((error: unknown) => failed(`This genesis file was not loaded: ${(error as Error).message}`));
  });
  useNode.addEventListener('click', () => {
    current = undefined;
    input.value = '';
    trustAnchor().then((anchor) => {
      show(anchor);
      onChange();
    }).catch((error: unknown) => failed(`The node's genesis could not be loaded: ${(error as Error).message}`));
  });
  trustAnchor().then(show).catch((error: unknown) => {
    fill(body, '');
    failed(`The node's genesis could not be loaded (${(error as Error).message}): load the consortium's genesis.json.`);
  });
  return h('section', { class: 'trust-anchor', 'aria-labelledby': 'trust-anchor-heading' },
    h('h2', { id: 'trust-anchor-heading' }, 'Trust anchor'),
    body,
    h('p', null, 'To check against the consortium’s genesis.json instead, choose it here. '),
    h('p', { class: 'file-field' }, h('label', { for: 'genesis-file' }, 'Genesis file'), ' ', input, ' ', useNode),
    problem);
}
