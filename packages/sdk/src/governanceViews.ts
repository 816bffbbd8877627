import { toHex, XinlianError, type GovKind, type Policy, type ProposalStatus } from '@xinlian/protocol';

// The JSON the node answers for the consortium state and governance proposals (GET /v1/members,
// GET /v1/governance/proposals[/:id]; docs/adr/008-governance.md). Bytes are lowercase hex,
// certificates PEM, and "none" is null.

export type ProposalStatusFilter = ProposalStatus | 'all';

export type OrganisationView = {
  id: string;
  name: string;
  caCertPem: string;
  /** 0 for the organisations of genesis. */
  joinedHeight: number;
  /** null while a member. */
  removedHeight: number | null;
};

export type ValidatorView = {
  /** Position in the set: the validator index of consensus. */
  index: number;
  name: string;
  org: string;
  publicKey: string;
  power: number;
};

export type MembersView = {
  /** The height whose state this is (the node's latest block). */
  height: number;
  /** Members in the order they joined, then removed organisations (removedHeight set). */
  organisations: OrganisationView[];
  /** The set in force: the one that signed the latest block. */
  validators: ValidatorView[];
  /** A set announced by a passed proposal, and the first height it signs. */
  nextValidators: { effectiveHeight: number; proposalId: string; validators: ValidatorView[] } | null;
  revoked: Array<{ certHash: string; org: string; reason: string; height: number; proposalId: string }>;
};

/**
 * A change as the API shows it: `kind` plus the change's fields, with hashes and keys in hex and
 * certificates in PEM (addOrganisation: caCertPem; addValidator: certPem), and for the ACL kinds
 * `orgs` (a list or "all") and `roles`.
 */
export type GovChangeView = { kind: GovKind } & Record<string, unknown>;

export type ProposalView = {
  /** The propose tx's id. */
  id: string;
  kind: GovKind;
  change: GovChangeView;
  /** The rule it is counted under (for a decided proposal, the one it was decided under). */
  policy: Policy;
  proposer: { org: string; name: string };
  createdHeight: number;
  /** The last height that takes votes. */
  deadlineHeight: number;
  status: ProposalStatus;
  decidedHeight: number | null;
  /** When a passed change takes effect (validator sets: two blocks after the decision). */
  effectiveHeight: number | null;
  votes: Array<{ org: string; name: string; approve: boolean; height: number; txId: string }>;
  /** Votes of organisations that were members at the last tally, one per organisation. */
  yes: number;
  no: number;
  /** Member organisations at the last tally: now for an open proposal, else when it was decided. */
  organisations: number;
  /** Yes votes the policy needs among them. */
  required: number;
};

/** A proposal id as 64 lowercase hex digits; BAD_REQUEST for anything else. */
export function proposalIdHex(id: string | Uint8Array): string {
  const hex = typeof id === 'string' ? id.toLowerCase() : toHex(id);
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new XinlianError('BAD_REQUEST', 'a proposal id is 32 bytes (64 hex digits)');
  return hex;
}
