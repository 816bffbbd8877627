// #/blocks/<height>: the header, who signed the commit, and the block's txs.
import { getJson } from '../api.js';
import type { BlockView, MembersView } from '../apiTypes.js';
import { ApiError } from '../api.js';
import { fields, fill, h, heading, hex, table } from '../dom.js';
import { formatTime, shortHash } from '../format.js';
import type { Page } from '../page.js';
import { proposerNames } from '../proposers.js';
import { href } from '../route.js';

export const blockPage: Page = async ({ main, route, signal }) => {
  const height = route.segments[1]!;
  if (!/^\d+$/.test(height)) throw new ApiError(404, 'NOT_FOUND', `"${height}" is not a block height`);
  const [block, members, names] = await Promise.all([
    getJson<BlockView>(`/v1/blocks/${height}`, signal), getJson<MembersView>('/v1/members', signal), proposerNames(signal),
  ]);
  const { header, commit } = block;
  const validator = (index: number): string => {
    const v = members.validators[index];
    return v === undefined ? `validator #${index}` : `${v.name} (${v.org})`;
  };
  fill(main,
    heading(`Block ${header.height}`),
    h('nav', { 'aria-label': 'Neighbouring blocks', class: 'pager' },
      header.height > 1 ? h('a', { href: href(['blocks', header.height - 1]) }, `Block ${header.height - 1}`) : null,
      h('a', { href: href(['blocks', header.height + 1]) }, `Block ${header.height + 1}`)),
    fields([
      ['Hash', hex(header.hash)], ['Time', formatTime(header.timeMs)], ['Proposer', names.get(header.proposer) ?? hex(header.proposer)],
      ['Previous block', header.height > 1 ? h('a', { href: href(['blocks', header.height - 1]) }, hex(header.prevHash)) : hex(header.prevHash)],
      ['Tx root', hex(header.txRoot)], ['Results root', hex(header.resultsRoot)], ['State root', hex(header.stateRoot)],
      ['Validators hash', hex(header.validatorsHash)], ['Txs', String(header.txCount)],
    ]),
    h('h2', null, 'Commit signatures'),
    h('p', null, `Round ${commit.round}: ${commit.signatures.length} precommit signature${commit.signatures.length === 1 ? '' : 's'} of ${members.validators.length} validators in force now.`),
    table('Commit signatures', ['Validator', 'Signature'], commit.signatures.map((s) => [validator(s.validatorIndex), h('code', { class: 'hex' }, shortHash(s.signature, 24))])),
    h('h2', null, 'Transactions'),
    table('Transactions', ['Tx id', 'Result', 'Events'], block.txs.map((tx) => [
      h('a', { href: href(['txs', tx.txId]) }, h('code', { class: 'hex' }, shortHash(tx.txId, 20))),
      tx.code === 'OK' ? 'OK' : `${tx.code}: ${tx.message}`,
      tx.events.map((e) => e.type).join(', ') || '—',
    ]), 'No transactions in this block'));
};
