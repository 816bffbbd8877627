import { toHex, type SignedProposal } from '@xinlian/protocol';
import { VoteTally } from './voteTally.js';

export interface ReceivedProposal {
  signed: SignedProposal;
  value: Uint8Array;
}

// An honest proposer sends one proposal a round; an equivocating one is kept to this many so that
// the value a quorum voted for can still be found (twins send two).
export const PROPOSALS_PER_ROUND_MAX = 4;

/** Everything received for one round of the current height, and which "first time" rules fired. */
export class RoundState {
  /** The first is the one this node acts on in the propose step. */
  readonly proposals: ReceivedProposal[] = [];
  readonly prevotes = new VoteTally();
  readonly precommits = new VoteTally();
  /** Validators that sent any message for this round, and their power (line 55). */
  private readonly senders = new Set<number>();
  senderPower = 0;
  prevoteTimeoutScheduled = false;
  precommitTimeoutScheduled = false;
  lockRuleFired = false;

  noteSender(validatorIndex: number, power: number): void {
    if (this.senders.has(validatorIndex)) return;
    this.senders.add(validatorIndex);
    this.senderPower += power;
  }

  proposalFor(id: string): ReceivedProposal | undefined {
    return this.proposals.find((p) => toHex(p.signed.proposal.blockHash) === id);
  }
}
