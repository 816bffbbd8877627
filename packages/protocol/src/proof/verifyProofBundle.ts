import { bytesEqual, fromHex, toHex } from '../bytes.js';
import { XinlianError } from '../errors.js';
import type { VerifySuite } from '../crypto/suite.js';
import type { Genesis } from '../genesis.js';
import { blockHashOf, decodeHeader, type Header } from '../ledger/header.js';
import { decodeCommit, verifyCommit } from '../ledger/commit.js';
import { decodeValidatorSet, encodeValidatorSet, totalPower, validatorsHashOf, type ValidatorSet } from '../ledger/validatorSet.js';
import { decodeSignedTx, decodeTxBody, txIdOf } from '../ledger/tx.js';
import { decodeTxResult, type TxResult } from '../ledger/txResult.js';
import { leafHash, verifyInclusion } from '../merkle/index.js';
import { decodeStateProof } from '../state/stateProof.js';
import { verifyStateProof } from '../state/verifyStateProof.js';
import { MembershipVerifier } from '../membership.js';
import type { ConsortiumPart, ProofBundle, ValidatorHandoff } from './proofBundle.js';
import { decodeOrganisationRecord, decodeValidatorsNextRecord } from '../apps/governance/consortiumRecords.js';
import { sysKey } from '../apps/governance/sysKey.js';
import { pemEncode } from '../x509/pem.js';

export interface VerifiedSigner {
  index: number;
  name: string;
  org: string;
  power: number;
}

export interface VerifiedProof {
  kind: 'tx' | 'state';
  chainId: string;
  suite: string;
  height: number;
  blockHash: string;
  blockTimeMs: number;
  signers: VerifiedSigner[];
  signedPower: number;
  totalPower: number;
  tx?: {
    txId: string;
    type: string;
    payload: Uint8Array;
    signer: { org: string; commonName: string; role: string | undefined };
    result: TxResult;
  };
  state?: { key: Uint8Array; value: Uint8Array | null };
  /** What was checked, in order, in words a reader can follow. */
  checks: string[];
}

function fail(message: string): never {
  throw new XinlianError('PROOF_INVALID', message);
}

function decoded<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    fail(`${what} does not decode: ${(error as Error).message}`);
  }
}

/**
 * The offline verifier: one pure function used by the CLI, the SDK and the browser. It trusts
 * nothing in the bundle; everything is checked against the genesis file. Throws PROOF_INVALID with
 * the exact reason at the first failed check.
 */
export function verifyProofBundle(bundle: ProofBundle, genesis: Genesis, suite: VerifySuite): VerifiedProof {
  const checks: string[] = [];
  if (bundle.chainId !== genesis.chainId) fail(`bundle is for chain "${bundle.chainId}", genesis is "${genesis.chainId}"`);
  if (bundle.suite !== genesis.suite || suite.name !== genesis.suite) fail(`bundle suite ${bundle.suite} does not match genesis suite ${genesis.suite}`);
  const header = decoded('header', () => decodeHeader(fromHex(bundle.header)));
  if (header.chainId !== genesis.chainId || header.height !== bundle.height) fail('header chain id or height does not match the bundle');
  const blockHash = blockHashOf(suite.hash, header);
  checks.push(`header of block ${header.height} decodes; block hash ${toHex(blockHash)}`);

  const set = decoded('validator set', () => decodeValidatorSet(fromHex(bundle.validators)));
  if (!bytesEqual(validatorsHashOf(suite.hash, set), header.validatorsHash)) fail('validator set does not match header.validatorsHash');
  const established = followHandoffs(bundle.consortium?.handoffs ?? [], header.height, genesis, suite, checks);
  if (!bytesEqual(encodeValidatorSet(set), encodeValidatorSet(toSet(established.validators)))) {
    fail(established.sinceHeight === 1 ? 'validator set is not the genesis validator set' : 'validator set is not the one the handoffs establish');
  }
  checks.push(established.sinceHeight === 1
    ? `validator set (${set.length}) is the one in genesis and matches the header`
    : `validator set (${set.length}) is the one in force since block ${established.sinceHeight} and matches the header`);

  const commit = decoded('commit', () => decodeCommit(fromHex(bundle.commit)));
  const signerIndexes = verifyCommit(suite, genesis.chainId, set, header.height, blockHash, commit);
  const signers = signerIndexes.map((index) => {
    const v = established.validators[index]!;
    return { index, name: v.name, org: v.org, power: v.power };
  });
  const signedPower = signers.reduce((sum, s) => sum + s.power, 0);
  checks.push(`${signers.length} precommit signatures carry ${signedPower} of ${totalPower(set)} voting power (> 2/3)`);

  const verified: VerifiedProof = {
    kind: bundle.kind, chainId: genesis.chainId, suite: genesis.suite, height: header.height, blockHash: toHex(blockHash),
    blockTimeMs: header.timeMs, signers, signedPower, totalPower: totalPower(set), checks,
  };
  if (bundle.kind === 'tx') verifyTxPart(bundle, header, genesis, suite, verified, bundle.consortium?.signerOrganisation);
  else verifyStatePart(bundle, header, suite, verified);
  return verified;
}

type NamedValidator = { name: string; org: string; publicKey: Uint8Array; power: number };
const toSet = (validators: readonly NamedValidator[]): ValidatorSet => validators.map((v) => ({ publicKey: v.publicKey, power: v.power }));

interface EstablishedSet {
  validators: NamedValidator[];
  sinceHeight: number;
}

/**
 * Walks the validator-set announcements from genesis: each announcing block must be signed (> 2/3)
 * by the set established so far, and its state must hold the next set, which is in force from its
 * effective height. Returns the set in force at `height`.
 */
function followHandoffs(handoffs: readonly ValidatorHandoff[], height: number, genesis: Genesis, suite: VerifySuite, checks: string[]): EstablishedSet {
  let current: EstablishedSet = {
    validators: genesis.validators.map((v) => ({ name: v.name, org: v.org, publicKey: fromHex(v.publicKey), power: v.power })),
    sinceHeight: 1,
  };
  let previousHeight = 0;
  for (const [i, handoff] of handoffs.entries()) {
    const what = `handoff ${i + 1}`;
    const header = decoded(`${what} header`, () => decodeHeader(fromHex(handoff.header)));
    if (header.chainId !== genesis.chainId) fail(`${what}: header of another chain`);
    if (header.height <= previousHeight || header.height < current.sinceHeight) fail(`${what}: announcing blocks must follow each other and the set they extend`);
    const set = toSet(current.validators);
    if (!bytesEqual(validatorsHashOf(suite.hash, set), header.validatorsHash)) fail(`${what}: block ${header.height} was not signed by the set established so far`);
    const hash = blockHashOf(suite.hash, header);
    const commit = decoded(`${what} commit`, () => decodeCommit(fromHex(handoff.commit)));
    try {
      verifyCommit(suite, genesis.chainId, set, header.height, hash, commit);
    } catch (error) {
      fail(`${what}: commit of block ${header.height}: ${(error as Error).message}`);
    }
    const nextBytes = fromHex(handoff.next);
    const proof = decoded(`${what} state proof`, () => decodeStateProof(fromHex(handoff.proof)));
    if (!verifyStateProof(suite.hash, header.stateRoot, sysKey.validatorsNext(), nextBytes, proof)) fail(`${what}: state proof does not show the announced set after block ${header.height}`);
    const next = decoded(`${what} announced set`, () => decodeValidatorsNextRecord(nextBytes));
    if (next.effectiveHeight <= header.height) fail(`${what}: announced set takes effect before it was announced`);
    if (next.effectiveHeight > height) fail(`${what}: announced set takes effect at ${next.effectiveHeight}, after block ${height}`);
    checks.push(`validator set change: block ${header.height}, signed by the set in force, announces ${next.validators.length} validators from block ${next.effectiveHeight}`);
    current = { validators: next.validators, sinceHeight: next.effectiveHeight };
    previousHeight = header.height;
  }
  return current;
}

function verifyTxPart(
  bundle: ProofBundle, header: Header, genesis: Genesis, suite: VerifySuite, out: VerifiedProof, signerOrganisation: ConsortiumPart['signerOrganisation'],
): void {
  const part = bundle.tx ?? fail('tx bundle without a tx part');
  const txBytes = fromHex(part.tx);
  if (!verifyInclusion(suite.hash, leafHash(suite.hash, txBytes), part.index, header.txCount, part.txPath.map(fromHex), header.txRoot)) {
    fail(`tx is not at index ${part.index} of the block's txRoot`);
  }
  out.checks.push(`tx is leaf ${part.index} of ${header.txCount} under txRoot (RFC 6962 audit path)`);
  const resultBytes = fromHex(part.result);
  if (!verifyInclusion(suite.hash, leafHash(suite.hash, resultBytes), part.index, header.txCount, part.resultPath.map(fromHex), header.resultsRoot)) {
    fail(`result is not at index ${part.index} of the block's resultsRoot`);
  }
  const signed = decoded('tx', () => decodeSignedTx(txBytes));
  const body = decoded('tx body', () => decodeTxBody(signed.bodyBytes));
  const txId = txIdOf(suite.hash, genesis.chainId, signed.bodyBytes);
  const result = decoded('result', () => decodeTxResult(resultBytes));
  if (!bytesEqual(result.txId, txId)) fail('result belongs to another tx');
  out.checks.push('result is the same leaf under resultsRoot and names this tx');
  const membership = new MembershipVerifier(genesis, suite);
  let joined = '';
  if (signerOrganisation !== undefined) {
    // An organisation that joined after genesis: its CA is proven by the state after this block.
    const recordBytes = fromHex(signerOrganisation.value);
    const record = decoded('signer organisation', () => decodeOrganisationRecord(recordBytes));
    const proof = decoded('signer organisation proof', () => decodeStateProof(fromHex(signerOrganisation.proof)));
    if (!verifyStateProof(suite.hash, header.stateRoot, sysKey.org(record.id), recordBytes, proof)) fail(`state proof does not show organisation ${record.id} after block ${header.height}`);
    if (record.joinedHeight >= header.height) fail(`organisation ${record.id} joined at block ${record.joinedHeight}, not before block ${header.height}`);
    if (record.removedHeight !== 0 && record.removedHeight < header.height) fail(`organisation ${record.id} was removed at block ${record.removedHeight}, before block ${header.height}`);
    membership.setOrganisations([...genesis.organisations, { id: record.id, caCertPem: pemEncode('CERTIFICATE', record.caCertDer) }]);
    joined = `, which joined at block ${record.joinedHeight} (state proof)`;
  }
  let member;
  try {
    member = membership.verifyMember(body.signerCert, header.timeMs);
  } catch (error) {
    fail(`signer certificate: ${(error as Error).message}`);
  }
  out.checks.push(`signer certificate (${member.commonName}, ${member.org}) chains to the organisation CA ${joined === '' ? 'in genesis' : `of ${member.org}${joined}`}`);
  if (!suite.verify(member.publicKey, txId, signed.signature)) fail('tx signature does not verify');
  out.checks.push('tx signature verifies');
  out.tx = {
    txId: toHex(txId), type: body.type, payload: body.payload,
    signer: { org: member.org, commonName: member.commonName, role: member.role }, result,
  };
}

function verifyStatePart(bundle: ProofBundle, header: Header, suite: VerifySuite, out: VerifiedProof): void {
  const part = bundle.state ?? fail('state bundle without a state part');
  const key = fromHex(part.key);
  const value = part.value === null ? undefined : fromHex(part.value);
  const proof = decoded('state proof', () => decodeStateProof(fromHex(part.proof)));
  if (!verifyStateProof(suite.hash, header.stateRoot, key, value, proof)) {
    fail(value === undefined ? 'state proof does not show the key absent' : 'state proof does not show this value');
  }
  out.checks.push(`state proof: key ${value === undefined ? 'absent' : 'present with this value'} under stateRoot after block ${header.height}`);
  out.state = { key, value: value ?? null };
}
