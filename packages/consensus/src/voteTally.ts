import { toHex, type SignedVote } from '@xinlian/protocol';

/** The votes of one type in one round: at most one per validator, with the power behind each id. */
export class VoteTally {
  private readonly byValidator = new Map<number, SignedVote>();
  private readonly powerById = new Map<string, number>();
  /** Power of all votes, whatever their id (the paper's "2f + 1 ⟨PREVOTE, h, r, ∗⟩"). */
  anyPower = 0;

  get(validatorIndex: number): SignedVote | undefined {
    return this.byValidator.get(validatorIndex);
  }

  /** The caller has checked that this validator has no vote here yet. */
  add(signed: SignedVote, power: number): void {
    this.byValidator.set(signed.validatorIndex, signed);
    const id = toHex(signed.vote.blockHash);
    this.powerById.set(id, (this.powerById.get(id) ?? 0) + power);
    this.anyPower += power;
  }

  powerFor(id: string): number {
    return this.powerById.get(id) ?? 0;
  }

  ids(): IterableIterator<[string, number]> {
    return this.powerById.entries();
  }

  /** Votes for `id`, sorted by validator index (the order a Commit requires). */
  votesFor(id: string): SignedVote[] {
    return [...this.byValidator.values()]
      .filter((v) => toHex(v.vote.blockHash) === id)
      .sort((a, b) => a.validatorIndex - b.validatorIndex);
  }
}
