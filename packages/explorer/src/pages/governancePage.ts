// #/governance: the consortium's proposals, newest first, with their status and tally.
import { getJson } from '../api.js';
import type { ProposalView } from '../apiTypes.js';
import { fill, h, heading, table } from '../dom.js';
import { shortHash } from '../format.js';
import type { Page } from '../page.js';
import { href } from '../route.js';

export function tallyText(p: ProposalView): string {
  return `${p.yes} yes, ${p.no} no of ${p.organisations} organisations; ${p.required} yes needed (${p.policy})`;
}

export function changeSummary(change: ProposalView['change']): string {
  const named = change.name ?? change.id ?? change.target ?? change.txType ?? change.prefix;
  return typeof named === 'string' ? `${change.kind} ${named}` : change.kind;
}

export const governancePage: Page = async ({ main, signal }) => {
  const { proposals } = await getJson<{ proposals: ProposalView[] }>('/v1/governance/proposals?limit=200', signal);
  fill(main,
    heading('Governance'),
    h('p', null, 'Changes to the consortium (organisations, validators, parameters, access rules, contracts) are proposed by an organisation admin and decided by the organisations’ votes.'),
    table('Proposals', ['Proposal', 'Change', 'Status', 'Tally', 'Proposed by', 'Created at block'], proposals.map((p) => [
      h('a', { href: href(['governance', p.id]) }, h('code', { class: 'hex' }, shortHash(p.id))),
      changeSummary(p.change), p.status, tallyText(p), `${p.proposer.name} (${p.proposer.org})`, String(p.createdHeight),
    ]), 'No proposals yet'));
};
