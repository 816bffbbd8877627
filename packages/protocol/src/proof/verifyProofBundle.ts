import { bytesEqual, fromHex, toHex } from '../bytes.js';
import { XinlianError } from '../errors.js';
import type { VerifySuite } from '../crypto/suite.js';
import type { Genesis } from '../genesis.js';
import { blockHashOf, decodeHeader, type Header } from '../ledger/header.js';
import { decodeCommit, verifyCommit } from '../ledger/commit.js';
import { decodeValidatorSet, encodeValidatorSet, totalPower, validatorSetFromGenesis, validatorsHashOf } from '../ledger/validatorSet.js';
import { decodeSignedTx, decodeTxBody, txIdOf } from '../ledger/tx.js';
import { decodeTxResult, type TxResult } from '../ledger/txResult.js';
import { leafHash, verifyInclusion } from '../merkle/index.js';
import { decodeStateProof } from '../state/stateProof.js';
import { verifyStateProof } from '../state/verifyStateProof.js';
import { MembershipVerifier } from '../membership.js';
import type { ProofBundle } from './proofBundle.js';

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
  const genesisSet = validatorSetFromGenesis(genesis);
  if (!bytesEqual(encodeValidatorSet(set), encodeValidatorSet(genesisSet))) fail('validator set is not the genesis validator set');
  checks.push(`validator set (${set.length}) is the one in genesis and matches the header`);

  const commit = decoded('commit', () => decodeCommit(fromHex(bundle.commit)));
  const signerIndexes = verifyCommit(suite, genesis.chainId, set, header.height, blockHash, commit);
  const signers = signerIndexes.map((index) => {
    const v = genesis.validators[index]!;
    return { index, name: v.name, org: v.org, power: v.power };
  });
  const signedPower = signers.reduce((sum, s) => sum + s.power, 0);
  checks.push(`${signers.length} precommit signatures carry ${signedPower} of ${totalPower(set)} voting power (> 2/3)`);

  const verified: VerifiedProof = {
    kind: bundle.kind, chainId: genesis.chainId, suite: genesis.suite, height: header.height, blockHash: toHex(blockHash),
    blockTimeMs: header.timeMs, signers, signedPower, totalPower: totalPower(set), checks,
  };
  if (bundle.kind === 'tx') verifyTxPart(bundle, header, genesis, suite, verified);
  else verifyStatePart(bundle, header, suite, verified);
  return verified;
}

function verifyTxPart(bundle: ProofBundle, header: Header, genesis: Genesis, suite: VerifySuite, out: VerifiedProof): void {
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
  let member;
  try {
    member = new MembershipVerifier(genesis, suite).verifyMember(body.signerCert, header.timeMs);
  } catch (error) {
    fail(`signer certificate: ${(error as Error).message}`);
  }
  out.checks.push(`signer certificate (${member.commonName}, ${member.org}) chains to the organisation CA in genesis`);
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
