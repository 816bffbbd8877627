import { PROPOSAL_STATUSES, type ProposalStatus } from './proposalRecord.js';
import type { GovKind, Policy } from './govKind.js';

// The JSON a node answers for the consortium state and governance proposals (GET /v1/members,
// GET /v1/governance/proposals[/:id]; docs/adr/008-governance.md), shared by the node that writes
// it and the SDK that reads it: bytes as lowercase hex, certificates as PEM, null for "none".

export const PROPOSAL_STATUS_FILTERS = [...PROPOSAL_STATUSES, 'all'] as const;
export type ProposalStatusFilter = (typeof PROPOSAL_STATUS_FILTERS)[number];

export function isProposalStatusFilter(value: unknown): value is ProposalStatusFilter {
  return typeof value === 'string' && (PROPOSAL_STATUS_FILTERS as readonly string[]).includes(value);
}

export interface OrganisationView {
  id: string;
  name: string;
  caCertPem: string;
  /** 0 for the organisations of genesis. */
  joinedHeight: number;
  /** null while a member. */
  removedHeight: number | null;
}

export interface ValidatorView {
  /** Position in the set: the validator index of consensus. */
  index: number;
  name: string;
  org: string;
  publicKey: string;
  power: number;
}

export interface MembersView {
  /** The height whose state this is (the latest block). */
  height: number;
  /** Members in join order, then organisations that were removed (removedHeight set). */
  organisations: OrganisationView[];
  /** The set in force: the one that signed the latest block. */
  validators: ValidatorView[];
  /** A set a passed proposal announced, and the first height it signs. */
  nextValidators: { effectiveHeight: number; proposalId: string; validators: ValidatorView[] } | null;
  revoked: Array<{ certHash: string; org: string; reason: string; height: number; proposalId: string }>;
}

export interface ProposalVoteView {
  org: string;
  name: string;
  approve: boolean;
  height: number;
  txId: string;
}

export interface ProposalView {
  id: string;
  kind: GovKind;
  /**
   * The change's fields with `kind`: hashes and keys in hex, certificates in PEM (addOrganisation:
   * caCertPem; addValidator: certPem), and for the ACL kinds `orgs` (a list or "all") and `roles`.
   */
  change: { kind: GovKind } & Record<string, unknown>;
  /** The approval rule the proposal is (or was, when decided) counted under. */
  policy: Policy;
  proposer: { org: string; name: string };
  createdHeight: number;
  /** The last height that takes votes. */
  deadlineHeight: number;
  status: ProposalStatus;
  decidedHeight: number | null;
  effectiveHeight: number | null;
  votes: ProposalVoteView[];
  /** Yes and no votes of organisations that were members at the last tally (one per organisation). */
  yes: number;
  no: number;
  /** Member organisations at the last tally: now for an open proposal, else when it was decided. */
  organisations: number;
  /** Yes votes the policy needs among those organisations. */
  required: number;
}

