import type { Commit, ConsensusMessage, SignedProposal, SignedVote, ValidatorSet } from '@xinlian/protocol';

/** The paper's step_p. Proposals are signed in the propose step, votes in the other two. */
export type ConsensusStep = 'propose' | 'prevote' | 'precommit';

/** A value to agree on: the application's block (opaque here) and its id, the block hash. */
export interface ConsensusValue {
  blockHash: Uint8Array;
  bytes: Uint8Array;
}

/** Timeouts grow linearly with the round (paper: timeoutX(r) = base + r·delta), in milliseconds. */
export interface ConsensusTimeouts {
  proposeMs: number;
  proposeDeltaMs: number;
  prevoteMs: number;
  prevoteDeltaMs: number;
  precommitMs: number;
  precommitDeltaMs: number;
}

export interface ConsensusConfig {
  chainId: string;
  /** The chain suite's hash (SM3 or SHA-256), for the signing digests. */
  hash: (data: Uint8Array) => Uint8Array;
  /** This node's validator key; undefined for a node that follows without voting. */
  publicKey: Uint8Array | undefined;
  /** Signs a 32-byte signing digest with this node's key. Synchronous: the machine never waits. */
  sign: (digest: Uint8Array) => Uint8Array;
  verify: (publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array) => boolean;
  timeouts: ConsensusTimeouts;
  /** Messages for rounds beyond round_p + roundsAheadMax are dropped (bounds memory per height). */
  roundsAheadMax: number;
  /** Largest value (block) accepted in a proposal. */
  valueBytesMax: number;
}

/**
 * What the driver feeds in. Peer messages use the same shape as ConsensusMessage, so a decoded
 * message is an input as it is. The driver checks, before delivering a proposal, that `value`
 * really has the id `proposal.blockHash` (the machine does not know the block format).
 */
export type ConsensusInput =
  /** `timeouts` (chain parameters may change between heights) replace the config's from this height on. */
  | { type: 'startHeight'; height: number; validators: ValidatorSet; wal?: readonly WalRecord[]; timeouts?: ConsensusTimeouts }
  | { type: 'timeout'; height: number; round: number; step: ConsensusStep }
  | ConsensusMessage
  | { type: 'valueReady'; height: number; round: number; value: ConsensusValue }
  | { type: 'validity'; height: number; blockHash: Uint8Array; valid: boolean };

/** Durable records; replaying them into startHeight restores the locks and the signing guard. */
export type WalRecord =
  | { type: 'signedProposal'; proposal: SignedProposal; value: Uint8Array }
  | { type: 'signedVote'; vote: SignedVote }
  /** Line 36 with step = prevote: lockedValue = validValue = value, lockedRound = validRound = round. */
  | { type: 'locked'; height: number; round: number; value: ConsensusValue }
  /** Line 36 with step = precommit: validValue = value, validRound = round. */
  | { type: 'valid'; height: number; round: number; value: ConsensusValue };

export type Evidence =
  | { type: 'duplicateVote'; validatorIndex: number; first: SignedVote; second: SignedVote }
  | { type: 'duplicateProposal'; validatorIndex: number; first: SignedProposal; second: SignedProposal };

/**
 * What the driver must do, in order. A `persist` must be durable (fsynced) before any broadcast
 * that follows it in the same list; the others may run in any order after their persists.
 */
export type ConsensusEffect =
  | { type: 'persist'; record: WalRecord }
  | { type: 'broadcast'; message: ConsensusMessage }
  | { type: 'scheduleTimeout'; height: number; round: number; step: ConsensusStep; durationMs: number }
  /** The paper's getValue(): answer with a valueReady input for the same height and round. */
  | { type: 'requestValue'; height: number; round: number }
  /** The paper's valid(v): answer with a validity input. */
  | { type: 'requestValidation'; height: number; round: number; value: ConsensusValue }
  /** decision_p[h] = v, with ≥2/3 precommits; then the driver stores it and starts height + 1. */
  | { type: 'commit'; height: number; value: ConsensusValue; commit: Commit }
  | { type: 'evidence'; evidence: Evidence };
