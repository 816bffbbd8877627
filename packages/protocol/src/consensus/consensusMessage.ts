import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { XinlianError } from '../errors.js';
import { readSignedProposal, writeSignedProposal, type SignedProposal } from './proposal.js';
import { readSignedVote, writeSignedVote, type SignedVote } from './signedVote.js';

/** A consensus message between validators: a signed proposal with its value, or a signed vote. */
export type ConsensusMessage =
  | { type: 'proposal'; proposal: SignedProposal; value: Uint8Array }
  | { type: 'vote'; vote: SignedVote };

const KIND = { proposal: 1, vote: 2 } as const;

export function encodeConsensusMessage(message: ConsensusMessage): Uint8Array {
  const w = new Writer();
  if (message.type === 'proposal') return writeSignedProposal(w.u8(KIND.proposal), message.proposal).bytes(message.value).finish();
  return writeSignedVote(w.u8(KIND.vote), message.vote).finish();
}

/** `valueBytesMax` is the chain's block size limit: a decoder never allocates more than that. */
export function decodeConsensusMessage(bytes: Uint8Array, valueBytesMax: number): ConsensusMessage {
  return decodeAll(
    bytes,
    (r) => {
      const kind = r.u8('message kind');
      if (kind === KIND.proposal) {
        return { type: 'proposal', proposal: readSignedProposal(r), value: r.bytes(valueBytesMax, 'value') };
      }
      if (kind === KIND.vote) return { type: 'vote', vote: readSignedVote(r) };
      throw new XinlianError('DECODE_ERROR', `unknown consensus message kind ${kind}`);
    },
    'consensus message',
  );
}
