import type { ConsensusMachine, WalRecord } from '@xinlian/consensus';
import { fromUtf8 } from '@xinlian/protocol';
import type { StoredBlock } from './network.js';
import { ValidatorHistory, type Member } from './validatorSets.js';

/**
 * One simulated process: a consensus machine (absent while crashed), its disk (WAL records that
 * were synced, and writes still in the page cache that a crash may lose) and its block store. It
 * holds one validator key; whether that key votes at a height depends on the validator set of that
 * height, which the replica derives from its own blocks only (`history`).
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
  /** The validator set of each height, from this replica's blocks (rebuilt from them at boot). */
  history: ValidatorHistory;

  constructor(
    readonly instance: number,
    /** Its key: simulatedPublicKey(key). Twins share one; not an index into any validator set. */
    readonly key: number,
    /** False for twins: the checkers judge correct replicas only. */
    readonly correct: boolean,
    /** Timer rate: a timeout of d ticks fires after d × clockRate ticks of simulated time. */
    readonly clockRate: number,
    private readonly genesis: readonly Member[],
    private readonly keys: number,
  ) {
    this.history = new ValidatorHistory(genesis, keys);
  }

  get label(): string {
    return `replica ${this.instance} (key ${this.key}${this.correct ? '' : ', twin'})`;
  }

  /** Appends a block to the store, durably, and derives the set of two heights on from it. */
  storeBlock(block: StoredBlock): void {
    this.blocks.push(block);
    this.history.append(block.height, fromUtf8(block.value.bytes));
  }

  /** What a restarted process does: the derived sets are memory, rebuilt from the block store. */
  rebuildHistory(): void {
    this.history = new ValidatorHistory(this.genesis, this.keys);
    for (const block of this.blocks) this.history.append(block.height, fromUtf8(block.value.bytes));
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
