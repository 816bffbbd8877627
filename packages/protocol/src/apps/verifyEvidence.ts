import { bytesEqual, toHex } from '../bytes.js';
import { XinlianError } from '../errors.js';
import type { VerifySuite } from '../crypto/suite.js';
import type { Genesis } from '../genesis.js';
import type { ProofBundle } from '../proof/proofBundle.js';
import { verifyProofBundle, type VerifiedSigner } from '../proof/verifyProofBundle.js';
import { decodeEvidenceDeposit, EVIDENCE_DEPOSIT_TYPE } from './evidence.js';

/** What a court reads: this document existed, unchanged, at this block time, deposited by this member. */
export interface EvidenceCertificate {
  documentHash: string;
  hashAlgorithm: 'SM3' | 'SHA-256';
  title: string;
  depositor: { org: string; commonName: string };
  chainId: string;
  txId: string;
  height: number;
  blockHash: string;
  blockTimeMs: number;
  validators: VerifiedSigner[];
  checks: string[];
}

/**
 * Checks a document (by its hash in the chain's suite) against an evidence proof bundle, offline.
 * Throws PROOF_INVALID naming the exact mismatch.
 */
export function verifyEvidence(documentHash: Uint8Array, bundle: ProofBundle, genesis: Genesis, suite: VerifySuite): EvidenceCertificate {
  if (bundle.kind !== 'tx') throw new XinlianError('PROOF_INVALID', 'an evidence proof must be a tx proof bundle');
  const verified = verifyProofBundle(bundle, genesis, suite);
  const tx = verified.tx!;
  if (tx.type !== EVIDENCE_DEPOSIT_TYPE) throw new XinlianError('PROOF_INVALID', `tx is a "${tx.type}", not an evidence deposit`);
  if (tx.result.code !== 'OK') throw new XinlianError('PROOF_INVALID', `the deposit tx failed: ${tx.result.code} ${tx.result.message}`);
  const deposit = decodeEvidenceDeposit(tx.payload);
  if (!bytesEqual(deposit.hash, documentHash)) {
    throw new XinlianError(
      'PROOF_INVALID',
      `document hash ${toHex(documentHash)} does not match the deposited hash ${toHex(deposit.hash)}: the file differs from the one deposited`,
    );
  }
  verified.checks.push('document hash equals the deposited hash');
  return {
    documentHash: toHex(documentHash),
    hashAlgorithm: genesis.suite === 'gm' ? 'SM3' : 'SHA-256',
    title: deposit.title,
    depositor: { org: tx.signer.org, commonName: tx.signer.commonName },
    chainId: verified.chainId,
    txId: tx.txId,
    height: verified.height,
    blockHash: verified.blockHash,
    blockTimeMs: verified.blockTimeMs,
    validators: verified.signers,
    checks: verified.checks,
  };
}
