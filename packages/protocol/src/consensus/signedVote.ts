import { decodeAll, type Reader } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { XinlianError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { encodeVote, VOTE_TYPE, type Vote } from '../ledger/commit.js';

/**
 * The block hash of a nil vote (the paper's "nil"): 32 zero bytes. A real block hash equal to it
 * would need a hash preimage of zero, so the two never meet.
 */
export const NIL_BLOCK_HASH: Uint8Array = new Uint8Array(LIMITS.hashBytes);

/** A vote as it travels between validators: the signer's index in the height's validator set. */
export interface SignedVote {
  vote: Vote;
  validatorIndex: number;
  signature: Uint8Array;
}

export function isNilVote(vote: Vote): boolean {
  return vote.blockHash.every((byte) => byte === 0);
}

export function encodeSignedVote(signed: SignedVote): Uint8Array {
  return writeSignedVote(new Writer(), signed).finish();
}

export function decodeSignedVote(bytes: Uint8Array): SignedVote {
  return decodeAll(bytes, readSignedVote, 'signed vote');
}

export function writeSignedVote<W extends Writer>(w: W, signed: SignedVote): W {
  // The vote's own canonical bytes (docs/spec/ledger.md), so the signed part is encoded one way only.
  const vote = encodeVote(signed.vote);
  return w.fixed(vote, vote.length).u32(signed.validatorIndex).bytes(signed.signature);
}

export function readSignedVote(r: Reader): SignedVote {
  const type = r.u8('vote type');
  if (type !== VOTE_TYPE.prevote && type !== VOTE_TYPE.precommit) {
    throw new XinlianError('DECODE_ERROR', `vote type must be 1 or 2, got ${type}`);
  }
  const vote: Vote = { type, height: r.u64('height'), round: r.u32('round'), blockHash: r.fixed(LIMITS.hashBytes, 'blockHash') };
  const validatorIndex = r.u32('validatorIndex');
  if (validatorIndex >= LIMITS.validatorsMax) {
    throw new XinlianError('DECODE_ERROR', `validator index ${validatorIndex} exceeds ${LIMITS.validatorsMax - 1}`);
  }
  return { vote, validatorIndex, signature: r.bytes(LIMITS.signatureBytesMax, 'signature') };
}
