import type { SignedProposal, SignedVote } from '@xinlian/protocol';
import type { ConsensusStep, WalRecord } from './types.js';

export type SignedRecord = Extract<WalRecord, { type: 'signedProposal' | 'signedVote' }>;

const STEP_ORDER: Record<ConsensusStep, number> = { propose: 0, prevote: 1, precommit: 2 };

interface Position {
  height: number;
  round: number;
  step: number;
}

/**
 * The double-sign guard. It remembers every message this node signed at the current height and
 * the highest (height, round, step) it ever signed. Asked to sign at a position it already signed,
 * the machine gets the old message back (never a second, different one); asked to sign below the
 * highest position, it gets a refusal. Restored from the WAL, so a restart cannot double-sign.
 */
export class SignGuard {
  private last: Position | undefined;
  private readonly signed = new Map<string, SignedRecord>();

  /** Forgets the previous height's messages and replays `records` (all retained WAL records). */
  restore(height: number, records: readonly WalRecord[]): void {
    this.signed.clear();
    for (const record of records) {
      if (record.type !== 'signedProposal' && record.type !== 'signedVote') continue;
      const position = positionOf(record);
      if (this.last === undefined || compare(position, this.last) > 0) this.last = position;
      if (position.height === height) this.signed.set(key(position), record);
    }
  }

  existing(height: number, round: number, step: ConsensusStep): SignedRecord | undefined {
    return this.signed.get(key({ height, round, step: STEP_ORDER[step] }));
  }

  /** True when nothing was signed at or above this position. */
  mayNewlySign(height: number, round: number, step: ConsensusStep): boolean {
    return this.last === undefined || compare({ height, round, step: STEP_ORDER[step] }, this.last) > 0;
  }

  note(record: SignedRecord): void {
    const position = positionOf(record);
    this.last = position;
    this.signed.set(key(position), record);
  }
}

function positionOf(record: SignedRecord): Position {
  if (record.type === 'signedProposal') {
    const p: SignedProposal = record.proposal;
    return { height: p.proposal.height, round: p.proposal.round, step: STEP_ORDER.propose };
  }
  const v: SignedVote = record.vote;
  return { height: v.vote.height, round: v.vote.round, step: v.vote.type === 1 ? STEP_ORDER.prevote : STEP_ORDER.precommit };
}

function compare(a: Position, b: Position): number {
  return a.height - b.height || a.round - b.round || a.step - b.step;
}

function key(p: Position): string {
  return `${p.height}/${p.round}/${p.step}`;
}
