// What a verification page shows: one line per kind of check, in the order the verifier runs them,
// each passed, failed (with the verifier's reason) or not checked. The protocol's verifier stops
// at the first failure and says why in words; this file sorts its words into those lines.

export type CheckId = 'hash' | 'deposit' | 'bundle' | 'chain' | 'signatures' | 'merkle' | 'signer' | 'document';
export type CheckStatus = 'passed' | 'failed' | 'not checked';

export interface CheckLine {
  id: CheckId;
  label: string;
  status: CheckStatus;
  /** The verifier's own sentences for this check, or the reason it failed. */
  details: string[];
}

export interface VerificationOutcome {
  verified: boolean;
  /** Starts with "Verified" or "Not verified". */
  headline: string;
  checks: CheckLine[];
}

export const CHECK_LABELS: Record<CheckId, string> = {
  hash: 'Document hashed in this browser',
  deposit: 'A deposit of this hash is on the chain',
  bundle: 'Proof bundle is well-formed and for this chain',
  chain: 'Chain from genesis: the validator set that signed descends from the trusted genesis',
  signatures: '≥2/3 validator signatures on the block',
  merkle: 'Merkle branch from the data to the block header',
  signer: 'Signer’s certificate chains to a member organisation and the signature verifies',
  document: 'Document hash equals the deposited hash',
};

/** The checks of each kind of verification, in the order they are made. */
export const CHECK_ORDER = {
  tx: ['bundle', 'chain', 'signatures', 'merkle', 'signer'],
  state: ['bundle', 'chain', 'signatures', 'merkle'],
  evidence: ['hash', 'deposit', 'bundle', 'chain', 'signatures', 'merkle', 'signer', 'document'],
} as const satisfies Record<string, readonly CheckId[]>;

/** Which check a sentence of VerifiedProof.checks reports. */
export function checkIdOfPassed(sentence: string): CheckId | undefined {
  if (/^header of block/.test(sentence)) return 'bundle';
  if (/^validator set/.test(sentence)) return 'chain';
  if (/precommit signatures carry/.test(sentence)) return 'signatures';
  if (/^(tx is leaf|result is the same leaf|state proof:)/.test(sentence)) return 'merkle';
  if (/^(signer certificate|tx signature)/.test(sentence)) return 'signer';
  if (/^document hash/.test(sentence)) return 'document';
  return undefined;
}

/** Which check a PROOF_INVALID reason (or another failure) belongs to; the bundle's shape when unknown. */
export function checkIdOfFailure(reason: string): CheckId {
  return classifyFailure(reason) ?? 'bundle';
}

/** Which check a failure reason names, or undefined when no rule knows it (tests keep this in step with the verifier). */
export function classifyFailure(reason: string): CheckId | undefined {
  const text = reason.replace(/^PROOF_INVALID:\s*/, '');
  if (/^(malformed proof bundle|not JSON|bundle is for chain|bundle suite|header (does not decode|chain id)|an evidence proof must be|tx bundle without|state bundle without)/.test(text)) return 'bundle';
  if (/^(validator set|handoff)/.test(text)) return 'chain';
  if (/^(commit|invalid precommit signature)/.test(text)) return 'signatures';
  if (/^(signer|tx signature|state proof does not show organisation|organisation )/.test(text)) return 'signer';
  if (/^(tx is not at|result |tx does not decode|tx body does not decode|state proof)/.test(text)) return 'merkle';
  if (/^(document hash|tx is a |the deposit tx failed)/.test(text)) return 'document';
  if (/^no deposit/.test(text)) return 'deposit';
  return undefined;
}

function lines(order: readonly CheckId[]): CheckLine[] {
  return order.map((id) => ({ id, label: CHECK_LABELS[id], status: 'not checked', details: [] }));
}

/**
 * A successful verification: every check passed, each with the verifier's sentences. `extra`
 * adds sentences for checks the page made itself (the browser's hash, the deposit lookup).
 */
export function verifiedOutcome(order: readonly CheckId[], sentences: readonly string[], summary: string, extra: Partial<Record<CheckId, string>> = {}): VerificationOutcome {
  const checks = lines(order);
  for (const line of checks) {
    line.status = 'passed';
    const own = extra[line.id];
    if (own !== undefined) line.details.push(own);
  }
  for (const sentence of sentences) {
    const id = checkIdOfPassed(sentence);
    const line = checks.find((c) => c.id === id) ?? checks.find((c) => c.id === 'bundle');
    line?.details.push(sentence);
  }
  return { verified: true, headline: `Verified: ${summary}`, checks };
}

/**
 * A failed verification: the checks before the failing one passed (the verifier runs them in
 * order), the failing one carries the reason, the rest were not checked.
 */
export function failedOutcome(order: readonly CheckId[], reason: string, extra: Partial<Record<CheckId, string>> = {}, failing: CheckId = checkIdOfFailure(reason)): VerificationOutcome {
  const checks = lines(order);
  const at = Math.max(0, checks.findIndex((c) => c.id === failing));
  checks.forEach((line, i) => {
    line.status = i < at ? 'passed' : i === at ? 'failed' : 'not checked';
    const own = extra[line.id];
    if (own !== undefined && i < at) line.details.push(own);
  });
  checks[at]!.details.push(reason);
  return { verified: false, headline: `Not verified: ${reason}`, checks };
}

/**
 * Many verifications of one kind (the entries behind a trace) as one outcome: a check fails if it
 * failed for any entry, and each line counts the entries it passed for.
 */
export function combinedOutcome(order: readonly CheckId[], outcomes: readonly VerificationOutcome[], what: string): VerificationOutcome {
  const total = outcomes.length;
  const checks = lines(order).map((line) => {
    const mine = outcomes.map((o) => o.checks.find((c) => c.id === line.id));
    const passed = mine.filter((c) => c?.status === 'passed').length;
    const failures = mine.filter((c) => c?.status === 'failed');
    const reasons = [...new Set(failures.flatMap((c) => c!.details))].slice(0, 3);
    return {
      ...line,
      status: failures.length > 0 ? 'failed' : passed === total && total > 0 ? 'passed' : 'not checked',
      details: [`${passed} of ${total} ${what}`, ...reasons],
    } satisfies CheckLine;
  });
  const failed = outcomes.filter((o) => !o.verified);
  if (total === 0) return { verified: false, headline: `Not verified: no ${what} to check`, checks };
  if (failed.length === 0) return { verified: true, headline: `Verified: all ${total} ${what}`, checks };
  const first = failed[0]!.headline.replace(/^Not verified: /, '');
  return { verified: false, headline: `Not verified: ${failed.length} of ${total} ${what} failed (${first})`, checks };
}
