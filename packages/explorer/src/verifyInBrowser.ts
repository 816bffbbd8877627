// The checks the verification pages run, all here in the browser with the protocol's pure
// verifier: nothing is sent to a server but requests for public data (genesis, proofs).
import {
  fromUtf8, parseProofBundle, pureSuite, toHex, verifyEvidence, verifyProofBundle, XinlianError,
  type EvidenceCertificate, type Genesis, type ProofBundle, type VerifiedProof,
} from '@xinlian/protocol';
import { hashAlgorithmOf } from './genesisFingerprint.js';
import { CHECK_ORDER, failedOutcome, verifiedOutcome, type CheckId, type VerificationOutcome } from './verificationOutcome.js';

export interface BundleVerification {
  outcome: VerificationOutcome;
  proof?: VerifiedProof;
  bundle?: ProofBundle;
}

/** What the page expects the proof to be about: a proof of something else fails. */
export interface Expected {
  txId?: string;
  /** A state key as UTF-8 text. */
  key?: string;
  height?: number;
}

function reasonOf(error: unknown): string {
  if (error instanceof XinlianError) return error.message;
  if (error instanceof SyntaxError) return `not JSON: ${error.message}`;
  return `verification stopped: ${String(error)}`;
}

function shortHex(value: string): string {
  return value.length > 16 ? `${value.slice(0, 16)}…` : value;
}

function summaryOf(proof: VerifiedProof): string {
  const signed = `signed by validators holding ${proof.signedPower} of ${proof.totalPower} voting power`;
  if (proof.tx !== undefined) return `tx ${shortHex(proof.tx.txId)} (${proof.tx.type}, by ${proof.tx.signer.commonName} of ${proof.tx.signer.org}) is in block ${proof.height}, ${signed}`;
  const key = proof.state === undefined ? '' : fromUtf8(proof.state.key);
  const present = proof.state?.value === null ? 'is absent' : 'has this value';
  return `state key "${key}" ${present} after block ${proof.height}, ${signed}`;
}

/** Parses and verifies a proof bundle (tx or state) against the trusted genesis. */
export function verifyBundleJson(json: unknown, genesis: Genesis, expected: Expected = {}): BundleVerification {
  const order = (json as { kind?: unknown } | null)?.kind === 'state' ? CHECK_ORDER.state : CHECK_ORDER.tx;
  let bundle: ProofBundle | undefined;
  try {
    bundle = parseProofBundle(json);
    const proof = verifyProofBundle(bundle, genesis, pureSuite(genesis.suite));
    const mismatch = expectationMismatch(proof, expected);
    if (mismatch !== undefined) return { outcome: failedOutcome(order, mismatch.reason, {}, mismatch.check), proof, bundle };
    return { outcome: verifiedOutcome(order, proof.checks, summaryOf(proof)), proof, bundle };
  } catch (error) {
    return bundle === undefined ? { outcome: failedOutcome(order, reasonOf(error)) } : { outcome: failedOutcome(order, reasonOf(error)), bundle };
  }
}

function expectationMismatch(proof: VerifiedProof, expected: Expected): { reason: string; check: CheckId } | undefined {
  if (expected.height !== undefined && proof.height !== expected.height) return { reason: `the proof is for block ${proof.height}, not ${expected.height}`, check: 'bundle' };
  if (expected.txId !== undefined && proof.tx?.txId !== expected.txId) return { reason: `the proof is of another tx (${proof.tx?.txId ?? 'a state key'})`, check: 'merkle' };
  if (expected.key !== undefined && (proof.state === undefined || fromUtf8(proof.state.key) !== expected.key)) return { reason: 'the proof is of another state key', check: 'merkle' };
  return undefined;
}

export interface EvidenceVerification {
  outcome: VerificationOutcome;
  certificate?: EvidenceCertificate;
}

/** A document's hash, computed here with the chain's suite; the document itself goes nowhere. */
export function documentHash(bytes: Uint8Array, genesis: Genesis): string {
  return toHex(pureSuite(genesis.suite).hash(bytes));
}

export function hashSentence(hash: string, genesis: Genesis, bytes: number): string {
  return `${hashAlgorithmOf(genesis.suite)} ${hash} of ${bytes} bytes, computed in this browser (the file was not sent anywhere)`;
}

/** No deposit of this hash: the node's answer, which the page cannot check (only presence is provable). */
export function noDepositOutcome(hashLine: string): EvidenceVerification {
  return { outcome: failedOutcome(CHECK_ORDER.evidence, 'no deposit of this document on this chain (the node found none for its hash)', { hash: hashLine }, 'deposit') };
}

/** Checks a document's hash against a deposit's tx proof bundle with verifyEvidence. */
export function verifyEvidenceJson(hash: string, json: unknown, genesis: Genesis, sentences: { hash: string; deposit: string }): EvidenceVerification {
  const extra = { hash: sentences.hash, deposit: sentences.deposit };
  try {
    const bundle = parseProofBundle(json);
    const hashBytes = new Uint8Array(hash.match(/../g)!.map((pair) => parseInt(pair, 16)));
    const certificate = verifyEvidence(hashBytes, bundle, genesis, pureSuite(genesis.suite));
    const summary = `“${certificate.title}” was deposited by ${certificate.depositor.commonName} of ${certificate.depositor.org} in block ${certificate.height}, `
      + `signed by ${certificate.validators.map((v) => `${v.name} (${v.org})`).join(', ')}`;
    return { outcome: verifiedOutcome(CHECK_ORDER.evidence, certificate.checks, summary, extra), certificate };
  } catch (error) {
    return { outcome: failedOutcome(CHECK_ORDER.evidence, reasonOf(error), extra) };
  }
}
