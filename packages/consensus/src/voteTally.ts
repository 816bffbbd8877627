import { toHex, type SignedVote } from '@xinlian/protocol';

// An honest validator sends one vote per round and type; an equivocating one is counted for up to
// this many different ids (twins send two), so memory per round stays bounded.
export const IDS_PER_VALIDATOR_MAX = 4;

export type AddResult = 'added' | 'conflict' | 'dropped';

/**
 * The votes of one type in one round. As in the paper, a rule counts the senders of messages
 * with a given content: an equivocating validator is counted for each id it voted for (so a
 * correct node can still see a quorum that another correct node saw), once for "any id".
 */
export class VoteTally {
  private readonly first = new Map<number, SignedVote>();
  private readonly byId = new Map<string, Map<number, SignedVote>>();
  private readonly powerById = new Map<string, number>();
  private readonly idCount = new Map<number, number>();
  /** Power of distinct voters, whatever their id (the paper's "2f + 1 ⟨PREVOTE, h, r, ∗⟩"). */
  anyPower = 0;

  /** The first vote this validator was seen to cast here. */
  get(validatorIndex: number): SignedVote | undefined {
    return this.first.get(validatorIndex);
  }

  has(validatorIndex: number, id: string): boolean {
    return this.byId.get(id)?.has(validatorIndex) === true;
  }

  /** The caller has checked the signature and that this (validator, id) is new here. */
  add(signed: SignedVote, power: number): AddResult {
    const index = signed.validatorIndex;
    const count = this.idCount.get(index) ?? 0;
    if (count >= IDS_PER_VALIDATOR_MAX) return 'dropped';
    this.idCount.set(index, count + 1);
    const id = toHex(signed.vote.blockHash);
    let voters = this.byId.get(id);
    if (voters === undefined) {
      voters = new Map();
      this.byId.set(id, voters);
    }
    voters.set(index, signed);
    this.powerById.set(id, (this.powerById.get(id) ?? 0) + power);
    if (count > 0) return 'conflict';
    this.first.set(index, signed);
    this.anyPower += power;
    return 'added';
  }

  powerFor(id: string): number {
    return this.powerById.get(id) ?? 0;
  }

  ids(): IterableIterator<[string, number]> {
    return this.powerById.entries();
  }

  /** Votes for `id`, sorted by validator index (the order a Commit requires). */
  votesFor(id: string): SignedVote[] {
    return [...(this.byId.get(id)?.values() ?? [])].sort((a, b) => a.validatorIndex - b.validatorIndex);
  }
}
