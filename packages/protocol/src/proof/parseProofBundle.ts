import { fromHexOrUndefined } from '../bytes.js';
import { XinlianError } from '../errors.js';
import { isSuiteName } from '../crypto/suite.js';
import { PROOF_FORMAT, PROOF_VERSION, type ProofBundle, type StateProofPart, type TxProofPart } from './proofBundle.js';

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
