import { decodeAll, type Reader } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { XinlianError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { signingDigest } from '../ledger/signingDigest.js';

/** Domain tag of proposal signatures: a proposal signature can never pass as a vote or a tx. */
export const PROPOSAL_DOMAIN = 'xinlian/proposal/v1';

/**
 * What a proposer signs (Tendermint's ⟨PROPOSAL, h, r, v, vr⟩ without the value itself: the block
 * hash binds it). `polRound` is the paper's validRound: -1 when the proposer holds no valid value.
 */
export interface Proposal {
  height: number;
  round: number;
  polRound: number;
  blockHash: Uint8Array;
}

export interface SignedProposal {
  proposal: Proposal;
  signature: Uint8Array;
}

export function encodeProposal(proposal: Proposal): Uint8Array {
  return writeProposal(new Writer(), proposal).finish();
}

export function decodeProposal(bytes: Uint8Array): Proposal {
  return decodeAll(bytes, readProposal, 'proposal');
}

export function proposalDigest(hash: (data: Uint8Array) => Uint8Array, chainId: string, proposal: Proposal): Uint8Array {
  return signingDigest(hash, PROPOSAL_DOMAIN, chainId, encodeProposal(proposal));
}

export function encodeSignedProposal(signed: SignedProposal): Uint8Array {
  return writeSignedProposal(new Writer(), signed).finish();
}

export function decodeSignedProposal(bytes: Uint8Array): SignedProposal {
  return decodeAll(bytes, readSignedProposal, 'signed proposal');
}

// polRound -1 is "absent" on the wire, so the encoding needs no signed integers.
export function writeProposal<W extends Writer>(w: W, p: Proposal): W {
  if (!Number.isInteger(p.polRound) || p.polRound < -1 || p.polRound >= p.round) {
    throw new RangeError(`polRound must be -1 or below round ${p.round}, got ${p.polRound}`);
  }
  w.u64(p.height).u32(p.round).optional(p.polRound >= 0 ? p.polRound : undefined, (x, r) => x.u32(r));
  return w.fixed(p.blockHash, LIMITS.hashBytes);
}

export function readProposal(r: Reader): Proposal {
  const height = r.u64('height');
  const round = r.u32('round');
  const polRound = r.optional((x) => x.u32('polRound'), 'polRound') ?? -1;
  if (polRound >= round) {
    throw new XinlianError('DECODE_ERROR', `proposal polRound ${polRound} must be below its round ${round}`);
  }
  return { height, round, polRound, blockHash: r.fixed(LIMITS.hashBytes, 'blockHash') };
}

export function writeSignedProposal<W extends Writer>(w: W, signed: SignedProposal): W {
  return writeProposal(w, signed.proposal).bytes(signed.signature);
}

export function readSignedProposal(r: Reader): SignedProposal {
  return { proposal: readProposal(r), signature: r.bytes(LIMITS.signatureBytesMax, 'signature') };
}
