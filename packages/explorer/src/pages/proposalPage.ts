// #/governance/<id>: one proposal: the change, its status and every vote.
import { ApiError, getJson } from '../api.js';
import type { ProposalView } from '../apiTypes.js';
import { fields, fill, h, heading, hex, table } from '../dom.js';
import type { Page } from '../page.js';
import { href } from '../route.js';
import { changeSummary, tallyText } from './governancePage.js';

export const proposalPage: Page = async ({ main, route, signal }) => {
  const id = route.segments[1]!.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(id)) throw new ApiError(404, 'NOT_FOUND', `"${id}" is not a proposal id (64 hex digits)`);
  const p = await getJson<ProposalView>(`/v1/governance/proposals/${id}`, signal);
  const contract = (p.change.kind === 'deployContract' || p.change.kind === 'upgradeContract') && typeof p.change.name === 'string' ? p.change.name : undefined;
  fill(main,
    heading(`Proposal: ${changeSummary(p.change)}`),
    fields([
      ['Proposal id', hex(p.id)],
      ['Proposed in', h('a', { href: href(['txs', p.id]) }, 'the propose transaction')],
      ['Proposed by', `${p.proposer.name} (${p.proposer.org})`],
      ['Status', p.status],
      ['Tally', tallyText(p)],
      ['Created at block', String(p.createdHeight)],
      ['Votes taken until block', String(p.deadlineHeight)],
      ['Decided at block', p.decidedHeight === null ? '—' : String(p.decidedHeight)],
      ['Takes effect at block', p.effectiveHeight === null ? '—' : String(p.effectiveHeight)],
      ['Contract', contract === undefined ? undefined : h('a', { href: href(['contracts', contract]) }, contract)],
    ]),
    h('h2', null, 'Change'),
    h('pre', { class: 'code', tabindex: 0, 'aria-label': 'Change' }, JSON.stringify(p.change, null, 2)),
    h('h2', null, 'Votes'),
    table('Votes', ['Organisation', 'Voter', 'Vote', 'Block', 'Tx'], p.votes.map((v) => [
      v.org, v.name, v.approve ? 'yes' : 'no', String(v.height), h('a', { href: href(['txs', v.txId]) }, 'vote tx'),
    ]), 'No votes yet'));
};
