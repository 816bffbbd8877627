import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { bytesEqual, toHex } from '../bytes.js';
import { XinlianError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { VerifySuite } from '../crypto/suite.js';
import { DOMAIN, signingDigest } from './signingDigest.js';
import { totalPower, type ValidatorSet } from './validatorSet.js';

export const VOTE_TYPE = { prevote: 1, precommit: 2 } as const;
export type VoteType = (typeof VOTE_TYPE)[keyof typeof VOTE_TYPE];

/** What a validator signs when it votes (the tx-less part of a Tendermint vote). */
export interface Vote {
  type: VoteType;
  height: number;
  round: number;
  blockHash: Uint8Array;
}

export interface CommitSignature {
  validatorIndex: number;
  signature: Uint8Array;
}

/** ≥2/3 precommits for one block: the proof that it is final. */
export interface Commit {
  height: number;
  round: number;
  blockHash: Uint8Array;
  /** Sorted by validatorIndex, no duplicates (enforced by the decoder: one encoding per commit). */
  signatures: CommitSignature[];
}

export function encodeVote(vote: Vote): Uint8Array {
  return new Writer().u8(vote.type).u64(vote.height).u32(vote.round).fixed(vote.blockHash, LIMITS.hashBytes).finish();
}

export function voteDigest(hash: (data: Uint8Array) => Uint8Array, chainId: string, vote: Vote): Uint8Array {
  return signingDigest(hash, DOMAIN.vote, chainId, encodeVote(vote));
}

export function encodeCommit(commit: Commit): Uint8Array {
  return new Writer()
    .u64(commit.height)
    .u32(commit.round)
    .fixed(commit.blockHash, LIMITS.hashBytes)
    .list(commit.signatures, (w, s) => w.u32(s.validatorIndex).bytes(s.signature))
    .finish();
}

export function decodeCommit(bytes: Uint8Array): Commit {
  return decodeAll(
    bytes,
    (r) => {
      const commit: Commit = {
        height: r.u64('height'),
        round: r.u32('round'),
        blockHash: r.fixed(LIMITS.hashBytes, 'blockHash'),
        signatures: r.list(LIMITS.validatorsMax, (x) => ({
          validatorIndex: x.u32('validatorIndex'),
          signature: x.bytes(LIMITS.signatureBytesMax, 'signature'),
        }), 'signatures'),
      };
      for (let i = 1; i < commit.signatures.length; i++) {
        if (commit.signatures[i]!.validatorIndex <= commit.signatures[i - 1]!.validatorIndex) {
          throw new XinlianError('DECODE_ERROR', 'commit signatures must be sorted by validator index, no duplicates');
        }
      }
      return commit;
    },
    'commit',
  );
}

/**
 * Checks that validators holding more than 2/3 of the set's power precommitted `blockHash` at
 * `height`. Throws PROOF_INVALID with the exact reason; returns the indices of valid signers.
 */
export function verifyCommit(
  suite: VerifySuite,
  chainId: string,
  set: ValidatorSet,
  height: number,
  blockHash: Uint8Array,
  commit: Commit,
): number[] {
  if (commit.height !== height) {
    throw new XinlianError('PROOF_INVALID', `commit is for height ${commit.height}, block is ${height}`);
  }
  if (!bytesEqual(commit.blockHash, blockHash)) {
    throw new XinlianError('PROOF_INVALID', `commit is for block ${toHex(commit.blockHash)}, not ${toHex(blockHash)}`);
  }
  const digest = voteDigest(suite.hash, chainId, { type: VOTE_TYPE.precommit, height, round: commit.round, blockHash });
  let signedPower = 0;
  const signers: number[] = [];
  let previous = -1;
  for (const { validatorIndex, signature } of commit.signatures) {
    if (validatorIndex <= previous) throw new XinlianError('PROOF_INVALID', 'commit signatures unsorted or duplicated');
    previous = validatorIndex;
    const validator = set[validatorIndex];
    if (validator === undefined) {
      throw new XinlianError('PROOF_INVALID', `commit names validator #${validatorIndex}, the set has ${set.length}`);
    }
    if (!suite.verify(validator.publicKey, digest, signature)) {
      throw new XinlianError('PROOF_INVALID', `invalid precommit signature of validator #${validatorIndex}`);
    }
    signedPower += validator.power;
    signers.push(validatorIndex);
  }
  const total = totalPower(set);
  if (signedPower * 3 <= total * 2) {
    throw new XinlianError('PROOF_INVALID', `commit carries ${signedPower} of ${total} voting power, more than 2/3 needed`);
  }
  return signers;
}
