import { encodeSignedProposal, encodeSignedVote, toHex, Writer, decodeAll, type Genesis } from '@xinlian/protocol';
import type { Evidence } from '@xinlian/consensus';
import type { ChainStore } from '../ledger/chainStore.js';

export const MISBEHAVIOUR_BUCKET = 'misbehaviour';

export interface MisbehaviourView {
  type: Evidence['type'];
  height: number;
  round: number;
  validatorIndex: number;
  validator: string;
  org: string;
  /** Hex of the two conflicting signed messages (SignedVote or SignedProposal encodings). */
  first: string;
  second: string;
}

function position(evidence: Evidence): { height: number; round: number } {
  const message = evidence.type === 'duplicateVote' ? evidence.first.vote : evidence.first.proposal;
  return { height: message.height, round: message.round };
}

/**
 * Conflicting signed votes or proposals of one validator, kept as evidence: both messages carry the
 * validator's signature, so anyone can check the equivocation offline. Deduplicated by content.
 */
export class MisbehaviourStore {
  constructor(private readonly store: ChainStore, private readonly genesis: Genesis, private readonly hash: (data: Uint8Array) => Uint8Array) {}

  add(evidence: Evidence): void {
    const [first, second] = evidence.type === 'duplicateVote'
      ? [encodeSignedVote(evidence.first), encodeSignedVote(evidence.second)]
      : [encodeSignedProposal(evidence.first), encodeSignedProposal(evidence.second)];
    const { height, round } = position(evidence);
    const value = new Writer().string(evidence.type).u32(evidence.validatorIndex).u32(round).bytes(first).bytes(second).finish();
    const key = new Writer().u64(height).fixed(this.hash(value), 32).finish();
    this.store.db.commit([{ type: 'put', bucket: MISBEHAVIOUR_BUCKET, key, value }]);
  }

  /** Newest first. */
  list(limit: number): MisbehaviourView[] {
    return this.store.db.range(MISBEHAVIOUR_BUCKET, { reverse: true, limit }).map(({ key, value }) => {
      const height = decodeAll(key.subarray(0, 8), (r) => r.u64(), 'height');
      return decodeAll(value, (r) => {
        const type = r.string(32) as Evidence['type'];
        const validatorIndex = r.u32();
        const round = r.u32();
        const first = toHex(r.bytes(1 << 24));
        const second = toHex(r.bytes(1 << 24));
        const validator = this.genesis.validators[validatorIndex];
        return { type, height, round, validatorIndex, validator: validator?.name ?? '?', org: validator?.org ?? '?', first, second };
      }, 'misbehaviour');
    });
  }
}
