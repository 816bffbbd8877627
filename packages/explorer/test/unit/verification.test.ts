import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex, parseGenesis, pureSuite, toHex, utf8 } from '@xinlian/protocol';
import {
  CHECK_ORDER, checkIdOfFailure, checkIdOfPassed, classifyFailure, combinedOutcome, failedOutcome, verifiedOutcome,
} from '../../src/verificationOutcome.js';
import { documentHash, hashSentence, noDepositOutcome, verifyBundleJson, verifyEvidenceJson } from '../../src/verifyInBrowser.js';
import { genesisFingerprint } from '../../src/genesisFingerprint.js';

// Fixtures from a demo chain (intl): its genesis.json as written by `xinlian init`, a deposited
// document with the proof bundle of its deposit, and a state proof of a traceability entry.
const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8');
const genesisText = fixture('genesis.json');
const genesis = parseGenesis(JSON.parse(genesisText));
const evidence = (): Record<string, any> => JSON.parse(fixture('evidence.proof.json'));
const state = (): Record<string, any> => JSON.parse(fixture('state.proof.json'));
const document = utf8(fixture('document.txt'));
const sentences = { hash: 'hashed here', deposit: 'found' };

/** Flips one hex digit of a hex string, at `index` from the end. */
function flip(hex: string, index = 10): string {
  const i = hex.length - index;
  return `${hex.slice(0, i)}${hex[i] === '0' ? '1' : '0'}${hex.slice(i + 1)}`;
}

function statuses(outcome: { checks: Array<{ id: string; status: string }> }): string {
  return outcome.checks.map((c) => `${c.id}:${c.status}`).join(' ');
}

test('the genesis fingerprint is the suite hash of the genesis file written by init', () => {
  assert.equal(genesisFingerprint(genesis), toHex(pureSuite('intl').hash(utf8(genesisText))));
});

test('a real tx proof verifies, every check passed, with the verifier’s sentences under each', () => {
  const { outcome, proof } = verifyBundleJson(evidence(), genesis);
  assert.equal(outcome.verified, true, outcome.headline);
  assert.match(outcome.headline, /^Verified: tx [0-9a-f]{16}… \(evidence\.deposit, by client\.org2 of org2\) is in block \d+/);
  assert.equal(statuses(outcome), 'bundle:passed chain:passed signatures:passed merkle:passed signer:passed');
  assert.match(outcome.checks.find((c) => c.id === 'signatures')!.details[0]!, /precommit signatures carry \d of 4 voting power/);
  assert.equal(outcome.checks.find((c) => c.id === 'merkle')!.details.length, 2);
  assert.equal(proof?.tx?.type, 'evidence.deposit');
});

test('each kind of tampering fails its own check, the earlier ones passed and the later ones not checked', () => {
  const cases: Array<[string, (b: Record<string, any>) => void, string]> = [
    ['bundle', (b) => { b.format = 'other'; }, 'bundle:failed chain:not checked'],
    ['bundle', (b) => { b.chainId = 'another-chain'; }, 'bundle:failed chain:not checked'],
    ['chain', (b) => { b.validators = flip(b.validators); }, 'bundle:passed chain:failed signatures:not checked'],
    ['signatures', (b) => { b.commit = flip(b.commit); }, 'chain:passed signatures:failed merkle:not checked'],
    ['merkle', (b) => { b.tx.tx = flip(b.tx.tx, 40); }, 'signatures:passed merkle:failed signer:not checked'],
    ['merkle', (b) => { b.tx.index = 1; }, 'signatures:passed merkle:failed signer:not checked'],
  ];
  for (const [check, tamper, expected] of cases) {
    const bundle = evidence();
    tamper(bundle);
    const { outcome } = verifyBundleJson(bundle, genesis);
    assert.equal(outcome.verified, false, check);
    assert.match(outcome.headline, /^Not verified: /);
    assert.ok(statuses(outcome).includes(expected), `${check}: ${statuses(outcome)} (${outcome.headline})`);
    assert.equal(outcome.checks.find((c) => c.status === 'failed')?.id, check);
  }
});

test('a proof of something else than asked fails', () => {
  assert.match(verifyBundleJson(evidence(), genesis, { txId: '00'.repeat(32) }).outcome.headline, /^Not verified: the proof is of another tx/);
  assert.match(verifyBundleJson(state(), genesis, { key: 'c/traceability/a/other' }).outcome.headline, /^Not verified: the proof is of another state key/);
  assert.match(verifyBundleJson(state(), genesis, { height: 1 }).outcome.headline, /^Not verified: the proof is for block 700, not 1/);
});

test('a real state proof verifies with the state checks', () => {
  const bundle = state();
  const key = new TextDecoder().decode(fromHex(bundle.state.key));
  const { outcome, proof } = verifyBundleJson(bundle, genesis, { key, height: 700 });
  assert.equal(outcome.verified, true, outcome.headline);
  assert.equal(statuses(outcome), 'bundle:passed chain:passed signatures:passed merkle:passed');
  assert.match(outcome.headline, /^Verified: state key "c\/traceability\/a\/urn:epc:id:sscc:[^"]+" has this value after block 700/);
  assert.ok(proof?.state?.value !== null);
  bundle.state.value = flip(bundle.state.value);
  assert.equal(verifyBundleJson(bundle, genesis).outcome.checks.find((c) => c.status === 'failed')?.id, 'merkle');
});

test('a document is checked against its deposit; another document fails on its hash', () => {
  const hash = documentHash(document, genesis);
  const good = verifyEvidenceJson(hash, evidence(), genesis, sentences);
  assert.equal(good.outcome.verified, true, good.outcome.headline);
  assert.match(good.outcome.headline, /^Verified: “Supply contract \(demo\)” was deposited by client\.org2 of org2/);
  assert.equal(statuses(good.outcome), 'hash:passed deposit:passed bundle:passed chain:passed signatures:passed merkle:passed signer:passed document:passed');
  assert.deepEqual(good.outcome.checks[0]!.details, ['hashed here']);
  const other = verifyEvidenceJson(documentHash(utf8('another file'), genesis), evidence(), genesis, sentences);
  assert.equal(other.outcome.verified, false);
  assert.match(other.outcome.headline, /^Not verified: document hash [0-9a-f]{64} does not match the deposited hash/);
  assert.equal(other.outcome.checks.at(-1)!.status, 'failed');
  assert.equal(other.outcome.checks.at(-2)!.status, 'passed');
  const missing = noDepositOutcome(hashSentence(hash, genesis, document.length)).outcome;
  assert.match(missing.headline, /^Not verified: no deposit of this document/);
  assert.ok(statuses(missing).startsWith('hash:passed deposit:failed bundle:not checked'), statuses(missing));
  assert.match(hashSentence(hash, genesis, 93), /^SHA-256 [0-9a-f]{64} of 93 bytes, computed in this browser/);
});

test('results shaped by hand: passed sentences sorted into checks, a failure marks one line', () => {
  assert.equal(checkIdOfPassed('header of block 2 decodes; block hash ab'), 'bundle');
  assert.equal(checkIdOfPassed('validator set change: block 5, signed by the set in force, announces 4 validators from block 7'), 'chain');
  assert.equal(checkIdOfPassed('state proof: key absent under stateRoot after block 3'), 'merkle');
  assert.equal(checkIdOfPassed('document hash equals the deposited hash'), 'document');
  const ok = verifiedOutcome(CHECK_ORDER.state, ['3 precommit signatures carry 3 of 4 voting power (> 2/3)'], 'fine');
  assert.equal(ok.headline, 'Verified: fine');
  assert.deepEqual(ok.checks.find((c) => c.id === 'signatures')!.details, ['3 precommit signatures carry 3 of 4 voting power (> 2/3)']);
  const failed = failedOutcome(CHECK_ORDER.tx, 'commit carries 2 of 4 voting power, more than 2/3 needed');
  assert.equal(statuses(failed), 'bundle:passed chain:passed signatures:failed merkle:not checked signer:not checked');
  assert.equal(checkIdOfFailure('something nobody wrote'), 'bundle');
});

test('many entries as one outcome: all verified, or which failed and why', () => {
  const ok = verifiedOutcome(CHECK_ORDER.state, [], 'a');
  const bad = failedOutcome(CHECK_ORDER.state, 'state proof does not show this value');
  const all = combinedOutcome(CHECK_ORDER.state, [ok, ok], 'ledger entries');
  assert.equal(all.headline, 'Verified: all 2 ledger entries');
  assert.deepEqual(all.checks[0]!.details, ['2 of 2 ledger entries']);
  const some = combinedOutcome(CHECK_ORDER.state, [ok, bad, ok], 'ledger entries');
  assert.equal(some.verified, false);
  assert.equal(some.headline, 'Not verified: 1 of 3 ledger entries failed (state proof does not show this value)');
  assert.equal(statuses(some), 'bundle:passed chain:passed signatures:passed merkle:failed');
  assert.equal(combinedOutcome(CHECK_ORDER.state, [], 'ledger entries').verified, false);
});

test('every reason the protocol’s verifier can give is sorted into a check (kept in step with its source)', () => {
  const source = (path: string): string => readFileSync(new URL(`../../../../protocol/src/${path}`, import.meta.url), 'utf8');
  const reasons: string[] = [];
  const templates = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[1]!.replace(/\$\{[^}]*\}/g, 'X'));
  const verifier = source('proof/verifyProofBundle.ts');
  for (const reason of templates(verifier, /fail\([`']([^`']+)[`']/g)) {
    if (reason === 'X does not decode: X') continue; // decoded()'s own message: its names are listed next
    reasons.push(reason.startsWith('X: ') ? `handoff 1: ${reason.slice(3)}` : reason);
  }
  for (const what of templates(verifier, /decoded\([`']([^`']+)[`']/g)) reasons.push(`${what.replace(/^X /, 'handoff 1 ')} does not decode: bad`);
  for (const reason of templates(source('ledger/commit.ts'), /XinlianError\('PROOF_INVALID', [`']([^`']+)[`']/g)) reasons.push(reason);
  for (const reason of templates(source('apps/verifyEvidence.ts'), /XinlianError\(\s*'PROOF_INVALID',\s*[`']([^`']+)[`']/g)) reasons.push(reason);
  for (const reason of templates(source('proof/parseProofBundle.ts'), /fail\([`']([^`']+)[`']/g)) reasons.push(`malformed proof bundle: ${reason}`);
  assert.ok(reasons.length > 40, `found ${reasons.length} reasons`);
  const unsorted = reasons.filter((reason) => classifyFailure(reason) === undefined);
  assert.deepEqual(unsorted, []);
  assert.equal(classifyFailure('handoff 1: commit of block 5: invalid precommit signature of validator #0'), 'chain');
  assert.equal(classifyFailure('state proof does not show organisation org9 after block 4'), 'signer');
  assert.equal(classifyFailure('signer certificate: certificate expired'), 'signer');
  assert.equal(classifyFailure('tx is a "gov.vote", not an evidence deposit'), 'document');
});
