import type { ConsensusMachine, WalRecord } from '@xinlian/consensus';
import type { StoredBlock } from './network.js';

/**
 * One simulated process: a consensus machine (absent while crashed), its disk (WAL records that
 * were synced, and writes still in the page cache that a crash may lose) and its block store.
 */
export class Replica {
  machine: ConsensusMachine | undefined;
  /** Bumped by each crash: timers and application replies of a previous life are dropped. */
  incarnation = 0;
  durable: WalRecord[] = [];
  pending: WalRecord[] = [];
  /** blocks[i] is height i + 1; written durably at commit, before the next height starts. */
  readonly blocks: StoredBlock[] = [];
  crashMidStep = false;
  lastSyncRequestTick = -Infinity;

  constructor(
    readonly instance: number,
    readonly validatorIndex: number,
    /** False for twins: the checkers judge correct replicas only. */
    readonly correct: boolean,
    /** Timer rate: a timeout of d ticks fires after d × clockRate ticks of simulated time. */
    readonly clockRate: number,
  ) {}

  get label(): string {
    return `replica ${this.instance} (validator ${this.validatorIndex}${this.correct ? '' : ', twin'})`;
  }

  get nextHeight(): number {
    return this.blocks.length + 1;
  }

  sync(): void {
    if (this.pending.length === 0) return;
    this.durable.push(...this.pending);
    this.pending = [];
  }

  /** Records below the next height cannot matter any more: that height is durably committed. */
  pruneWal(): void {
    const next = this.nextHeight;
    this.durable = this.durable.filter((r) => heightOf(r) >= next);
  }
}

function heightOf(record: WalRecord): number {
  if (record.type === 'signedProposal') return record.proposal.proposal.height;
  if (record.type === 'signedVote') return record.vote.vote.height;
  return record.height;
}
