import { decodeAll } from '../../codec/reader.js';
import { Writer } from '../../codec/writer.js';
import { LIMITS } from '../../limits.js';
import { readGovChange, writeGovChange, type GovChange } from './govChange.js';

/** Payload of gov.propose. The proposal id is the propose tx's id. */
export interface GovPropose {
  change: GovChange;
}

/** Payload of gov.vote: one vote of the sender's organisation. */
export interface GovVote {
  proposalId: Uint8Array;
  approve: boolean;
}

// GovPropose = GovChange (nothing else: the proposer, heights and id come from the tx and block).
export function encodeGovPropose(propose: GovPropose): Uint8Array {
  const w = new Writer();
  writeGovChange(w, propose.change);
  return w.finish();
}

export function decodeGovPropose(bytes: Uint8Array): GovPropose {
  return decodeAll(bytes, (r) => ({ change: readGovChange(r) }), 'governance proposal');
}

// GovVote = fixed32 proposalId | bool approve
export function encodeGovVote(vote: GovVote): Uint8Array {
  return new Writer().fixed(vote.proposalId, LIMITS.hashBytes).bool(vote.approve).finish();
}

export function decodeGovVote(bytes: Uint8Array): GovVote {
  return decodeAll(bytes, (r) => ({ proposalId: r.fixed(LIMITS.hashBytes, 'proposalId'), approve: r.bool('approve') }), 'governance vote');
}
