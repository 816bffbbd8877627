import { decodeAll } from '../../codec/reader.js';
import { Writer } from '../../codec/writer.js';
import { XinlianError } from '../../errors.js';
import { LIMITS } from '../../limits.js';
import { readGovChange, writeGovChange, type GovChange } from './govChange.js';
import { GOV_LIMITS } from './govKind.js';

export const PROPOSAL_STATUSES = ['open', 'passed', 'rejected', 'expired'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** One organisation's vote, cast by one of its admins. */
export interface ProposalVote {
  org: string;
  name: string;
  approve: boolean;
  height: number;
  txId: Uint8Array;
}

/** sys/proposal/<id hex>. */
export interface ProposalRecord {
  /** The propose tx's id. */
  id: Uint8Array;
  change: GovChange;
  proposer: { org: string; name: string };
  createdHeight: number;
  /** The last height that takes votes. */
  deadlineHeight: number;
  /** In the order cast; the proposer's organisation's yes comes first. */
  votes: ProposalVote[];
  /**
   * 'open' is what the record says until a tx touches it: a proposal past its deadline is expired
   * whatever the record says (see effectiveStatus), and the next governance tx writes that down.
   */
  status: ProposalStatus;
  /** The height it passed or was rejected, or deadlineHeight + 1 once expired; 0 while open. */
  decidedHeight: number;
  /** When a passed change takes effect (ADR 008); 0 unless passed. */
  effectiveHeight: number;
}

/** An entry of sys/proposals, the index of open proposals (decided ones are readable by id). */
export interface OpenProposal {
  id: Uint8Array;
  org: string;
  deadlineHeight: number;
}

/** The status at `height`: an open proposal past its deadline has expired. */
export function effectiveStatus(record: ProposalRecord, height: number): ProposalStatus {
  return record.status === 'open' && height > record.deadlineHeight ? 'expired' : record.status;
}

// ProposalRecord = fixed32 id | GovChange change | string proposerOrg | string proposerName
//   | u64 createdHeight | u64 deadlineHeight | list<ProposalVote> votes | u8 status
//   | u64 decidedHeight | u64 effectiveHeight
// ProposalVote   = string org | string name | bool approve | u64 height | fixed32 txId
export function encodeProposalRecord(record: ProposalRecord): Uint8Array {
  const w = new Writer().fixed(record.id, LIMITS.hashBytes);
  writeGovChange(w, record.change);
  return w
    .string(record.proposer.org).string(record.proposer.name)
    .u64(record.createdHeight).u64(record.deadlineHeight)
    .list(record.votes, (x, v) => x.string(v.org).string(v.name).bool(v.approve).u64(v.height).fixed(v.txId, LIMITS.hashBytes))
    .u8(PROPOSAL_STATUSES.indexOf(record.status))
    .u64(record.decidedHeight).u64(record.effectiveHeight)
    .finish();
}

export function decodeProposalRecord(bytes: Uint8Array): ProposalRecord {
  return decodeAll(bytes, (r) => {
    const id = r.fixed(LIMITS.hashBytes, 'id');
    const change = readGovChange(r);
    const proposer = { org: r.string(GOV_LIMITS.orgIdBytesMax, 'proposer org'), name: r.string(GOV_LIMITS.memberNameBytesMax, 'proposer name') };
    const createdHeight = r.u64('createdHeight');
    const deadlineHeight = r.u64('deadlineHeight');
    const votes = r.list(GOV_LIMITS.organisationsMax, (x) => ({
      org: x.string(GOV_LIMITS.orgIdBytesMax, 'vote org'),
      name: x.string(GOV_LIMITS.memberNameBytesMax, 'vote name'),
      approve: x.bool('approve'),
      height: x.u64('vote height'),
      txId: x.fixed(LIMITS.hashBytes, 'vote txId'),
    }), 'votes');
    const tag = r.u8('status');
    const status = PROPOSAL_STATUSES[tag];
    if (status === undefined) throw new XinlianError('DECODE_ERROR', `proposal status ${tag} is not one of ${PROPOSAL_STATUSES.join(', ')}`);
    return { id, change, proposer, createdHeight, deadlineHeight, votes, status, decidedHeight: r.u64('decidedHeight'), effectiveHeight: r.u64('effectiveHeight') };
  }, 'proposal record');
}

// OpenProposals (sys/proposals) = list<fixed32 id | string org | u64 deadlineHeight>, oldest first
export function encodeOpenProposals(open: readonly OpenProposal[]): Uint8Array {
  return new Writer().list(open, (w, p) => w.fixed(p.id, LIMITS.hashBytes).string(p.org).u64(p.deadlineHeight)).finish();
}

export function decodeOpenProposals(bytes: Uint8Array): OpenProposal[] {
  return decodeAll(bytes, (r) => r.list(GOV_LIMITS.openProposalsMax, (x) => ({
    id: x.fixed(LIMITS.hashBytes, 'id'),
    org: x.string(GOV_LIMITS.orgIdBytesMax, 'org'),
    deadlineHeight: x.u64('deadlineHeight'),
  }), 'open proposals'), 'open proposals');
}
