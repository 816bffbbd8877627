import type { SuiteName } from '../crypto/suite.js';

export const PROOF_FORMAT = 'xinlian-proof';
export const PROOF_VERSION = 1;

/** Inclusion of a tx and its result in a block. */
export interface TxProofPart {
  /** Position of the tx in its block. */
  index: number;
  /** Hex of the canonical SignedTx. */
  tx: string;
  /** RFC 6962 audit path (hex hashes) from the tx leaf to header.txRoot. */
  txPath: string[];
  /** Hex of the canonical TxResult. */
  result: string;
  /** Audit path from the result leaf to header.resultsRoot. */
  resultPath: string[];
}

/** The value (or absence, value null) of a state key after the block. */
export interface StateProofPart {
  /** Hex of the key bytes. */
  key: string;
  value: string | null;
  /** Hex of the canonical StateProof against header.stateRoot. */
  proof: string;
}

/**
 * A block that announced a new validator set (ADR 008): its header and commit, signed by the set
 * in force, and the state proof of `sys/validators-next` after it.
 */
export interface ValidatorHandoff {
  /** Hex of the canonical Header of the announcing block. */
  header: string;
  /** Hex of its canonical Commit. */
  commit: string;
  /** Hex of the ValidatorsNextRecord it holds under sys/validators-next. */
  next: string;
  /** Hex of the StateProof of that value against the header's stateRoot. */
  proof: string;
}

/** What a bundle needs beyond genesis when the consortium changed since (ADR 008). */
export interface ConsortiumPart {
  /** Every validator-set announcement from genesis up to the set that signed this block, in order. */
  handoffs: ValidatorHandoff[];
  /**
   * For a tx whose signer's organisation joined after genesis: its OrganisationRecord (hex) and
   * the state proof of sys/org/<id> after this block.
   */
  signerOrganisation?: { value: string; proof: string };
}

/**
 * A self-contained, versioned proof that verifies offline with nothing but the genesis file
 * (docs/spec/proofs.md). JSON, because courts and consumers handle files, not byte streams.
 */
export interface ProofBundle {
  format: typeof PROOF_FORMAT;
  version: typeof PROOF_VERSION;
  kind: 'tx' | 'state';
  chainId: string;
  suite: SuiteName;
  height: number;
  /** Hex of the canonical Header. */
  header: string;
  /** Hex of the canonical Commit (≥2/3 precommit signatures). */
  commit: string;
  /** Hex of the canonical validator set that signed; its hash is header.validatorsHash. */
  validators: string;
  tx?: TxProofPart;
  state?: StateProofPart;
  /** Absent while the consortium is still genesis's. */
  consortium?: ConsortiumPart;
}
