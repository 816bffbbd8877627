import { toHex, XinlianError, type ProposalView } from '@xinlian/protocol';

// The JSON views of the consortium and its contracts are defined once, in @xinlian/protocol.

export type {
  MembersView, OrganisationView, ProposalStatusFilter, ProposalView, ProposalVoteView, ValidatorView,
  ContractCodeView, ContractVersionView, ContractView, EvaluateView,
} from '@xinlian/protocol';
/** A change as the API shows it (see ProposalView.change). */
export type GovChangeView = ProposalView['change'];

/** A proposal id as 64 lowercase hex digits; BAD_REQUEST for anything else. */
export function proposalIdHex(id: string | Uint8Array): string {
  const hex = typeof id === 'string' ? id.toLowerCase() : toHex(id);
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new XinlianError('BAD_REQUEST', 'a proposal id is 32 bytes (64 hex digits)');
  return hex;
}
