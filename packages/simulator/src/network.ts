import type { Commit, ConsensusMessage } from '@xinlian/protocol';
import type { ConsensusValue } from '@xinlian/consensus';
import type { Random } from './random.js';

export interface StoredBlock {
  height: number;
  value: ConsensusValue;
  commit: Commit;
}

/** What replicas send each other: consensus messages, plus a minimal block sync for laggards. */
export type Packet =
  | { kind: 'consensus'; message: ConsensusMessage }
  | { kind: 'status'; committedHeight: number }
  | { kind: 'syncRequest'; fromHeight: number }
  | { kind: 'syncReply'; blocks: StoredBlock[] };

export interface NetworkFaults {
  lossProbability: number;
  duplicateProbability: number;
  delayTicksMin: number;
  delayTicksMax: number;
}

/**
 * Directed links between instances, each of which may be cut (partitions, one-way links). A
 * packet on an open link is lost, duplicated and delayed at random; random delays also reorder.
 */
export class Network {
  private readonly cut: boolean[][];
  packetsSent = 0;

  constructor(
    readonly size: number,
    private readonly random: Random,
    public faults: NetworkFaults,
    private readonly deliver: (tick: number, from: number, to: number, packet: Packet) => void,
  ) {
    this.cut = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }

  send(now: number, from: number, to: number, packet: Packet): void {
    if (from === to || this.cut[from]![to]) return;
    this.packetsSent++;
    if (this.random.chance(this.faults.lossProbability)) return;
    const copies = this.random.chance(this.faults.duplicateProbability) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.deliver(now + this.random.int(this.faults.delayTicksMin, this.faults.delayTicksMax), from, to, packet);
    }
  }

  heal(): void {
    for (const row of this.cut) row.fill(false);
  }

  /** Cuts every link between `side` and the rest, both ways. */
  split(side: ReadonlySet<number>): void {
    this.heal();
    for (let a = 0; a < this.size; a++) {
      for (let b = 0; b < this.size; b++) this.cut[a]![b] = side.has(a) !== side.has(b);
    }
  }

  /** Cuts each directed link with probability `probability` (one-way links). */
  cutRandomLinks(probability: number): void {
    this.heal();
    for (let a = 0; a < this.size; a++) {
      for (let b = 0; b < this.size; b++) if (a !== b) this.cut[a]![b] = this.random.chance(probability);
    }
  }
}
