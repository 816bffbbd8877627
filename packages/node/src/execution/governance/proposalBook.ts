import {
  bytesEqual, decodeOpenProposals, encodeOpenProposals, encodeProposalRecord, sysKey,
  type ConsortiumView, type OpenProposal, type ProposalRecord,
} from '@xinlian/protocol';
import type { WriteSet } from '../writeSet.js';

/**
 * The open proposals (sys/proposals) as one governance tx sees and changes them. Expiry needs no
 * clock and no timer: every governance tx first writes down the expiry of the open proposals whose
 * deadline has passed, so the index stays bounded by the proposals that can still be decided.
 */
export class ProposalBook {
  private open: OpenProposal[];
  private changed = false;

  constructor(private readonly writes: WriteSet, private readonly view: ConsortiumView, private readonly height: number) {
    const bytes = writes.get(sysKey.proposalIndex());
    this.open = bytes === undefined ? [] : decodeOpenProposals(bytes);
  }

  /** Marks every open proposal past its deadline expired (decided at deadline + 1) and drops it. */
  expireDue(): void {
    const due = this.open.filter((p) => p.deadlineHeight < this.height);
    for (const entry of due) {
      const record = this.view.proposal(entry.id)!;
      this.save({ ...record, status: 'expired', decidedHeight: record.deadlineHeight + 1 });
    }
    if (due.length > 0) {
      this.open = this.open.filter((p) => p.deadlineHeight >= this.height);
      this.changed = true;
    }
  }

  get openCount(): number {
    return this.open.length;
  }

  openCountOf(org: string): number {
    return this.open.filter((p) => p.org === org).length;
  }

  add(entry: OpenProposal): void {
    this.open.push(entry);
    this.changed = true;
  }

  remove(id: Uint8Array): void {
    this.open = this.open.filter((p) => !bytesEqual(p.id, id));
    this.changed = true;
  }

  save(record: ProposalRecord): void {
    this.writes.set(sysKey.proposal(record.id), encodeProposalRecord(record));
  }

  /** Writes the index if this tx changed it. */
  flush(): void {
    if (this.changed) this.writes.set(sysKey.proposalIndex(), encodeOpenProposals(this.open));
  }
}
