import { fromHexOrUndefined } from '../bytes.js';
import { XinlianError } from '../errors.js';
import { isSuiteName } from '../crypto/suite.js';
import {
  PROOF_FORMAT, PROOF_VERSION, type ConsortiumPart, type ProofBundle, type StateProofPart, type TxProofPart, type ValidatorHandoff,
} from './proofBundle.js';

function fail(message: string): never {
  throw new XinlianError('PROOF_INVALID', `malformed proof bundle: ${message}`);
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function hex(value: unknown, what: string): string {
  if (typeof value !== 'string' || fromHexOrUndefined(value) === undefined) fail(`${what} must be a hex string`);
  return value;
}

function hexList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length > 64) fail(`${what} must be a list of at most 64 hex hashes`);
  return value.map((item, i) => hex(item, `${what}[${i}]`));
}

function natural(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${what} must be a non-negative integer`);
  return value;
}

/** Strict shape check of untrusted JSON; the cryptographic checks come after, in verifyProofBundle. */
export function parseProofBundle(json: unknown): ProofBundle {
  const o = object(json, 'bundle');
  if (o.format !== PROOF_FORMAT) fail(`format must be "${PROOF_FORMAT}"`);
  if (o.version !== PROOF_VERSION) fail(`unsupported version ${String(o.version)} (this verifier reads ${PROOF_VERSION})`);
  if (o.kind !== 'tx' && o.kind !== 'state') fail('kind must be "tx" or "state"');
  if (typeof o.chainId !== 'string') fail('chainId must be a string');
  if (!isSuiteName(o.suite)) fail('suite must be "gm" or "intl"');
  const bundle: ProofBundle = {
    format: PROOF_FORMAT,
    version: PROOF_VERSION,
    kind: o.kind,
    chainId: o.chainId,
    suite: o.suite,
    height: natural(o.height, 'height'),
    header: hex(o.header, 'header'),
    commit: hex(o.commit, 'commit'),
    validators: hex(o.validators, 'validators'),
  };
  if (o.kind === 'tx') bundle.tx = parseTxPart(object(o.tx, 'tx'));
  else bundle.state = parseStatePart(object(o.state, 'state'));
  // Kept, not dropped: without it a bundle signed after a validator-set change cannot verify.
  if (o.consortium !== undefined) bundle.consortium = parseConsortiumPart(object(o.consortium, 'consortium'));
  return bundle;
}

function parseTxPart(o: Record<string, unknown>): TxProofPart {
  return {
    index: natural(o.index, 'tx.index'),
    tx: hex(o.tx, 'tx.tx'),
    txPath: hexList(o.txPath, 'tx.txPath'),
    result: hex(o.result, 'tx.result'),
    resultPath: hexList(o.resultPath, 'tx.resultPath'),
  };
}

function parseStatePart(o: Record<string, unknown>): StateProofPart {
  return {
    key: hex(o.key, 'state.key'),
    value: o.value === null ? null : hex(o.value, 'state.value'),
    proof: hex(o.proof, 'state.proof'),
  };
}

/** At most one handoff per block would still be absurdly many; this bounds the work a file can ask for. */
const HANDOFFS_MAX = 100_000;

function parseConsortiumPart(o: Record<string, unknown>): ConsortiumPart {
  if (!Array.isArray(o.handoffs) || o.handoffs.length > HANDOFFS_MAX) fail(`consortium.handoffs must be a list of at most ${HANDOFFS_MAX} handoffs`);
  const handoffs = o.handoffs.map((value, i): ValidatorHandoff => {
    const what = `consortium.handoffs[${i}]`;
    const handoff = object(value, what);
    return {
      header: hex(handoff.header, `${what}.header`), commit: hex(handoff.commit, `${what}.commit`),
      next: hex(handoff.next, `${what}.next`), proof: hex(handoff.proof, `${what}.proof`),
    };
  });
  const part: ConsortiumPart = { handoffs };
  if (o.signerOrganisation !== undefined) {
    const signer = object(o.signerOrganisation, 'consortium.signerOrganisation');
    part.signerOrganisation = { value: hex(signer.value, 'consortium.signerOrganisation.value'), proof: hex(signer.proof, 'consortium.signerOrganisation.proof') };
  }
  return part;
}
