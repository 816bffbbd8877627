// #/blocks?from=<height>: blocks newest first, a page of 20 at a time.
import { getJson, mapLimited } from '../api.js';
import type { BlockView, StatusView } from '../apiTypes.js';
import { fill, h, heading, table } from '../dom.js';
import { formatTime, shortHash } from '../format.js';
import type { Page } from '../page.js';
import { href } from '../route.js';
import { proposerNames } from '../proposers.js';

const PAGE_BLOCKS = 20;

export const blocksPage: Page = async ({ main, route, signal }) => {
  const status = await getJson<StatusView>('/v1/status', signal);
  const asked = Number(route.query.get('from') ?? status.height);
  const top = Number.isSafeInteger(asked) ? Math.min(Math.max(asked, 1), status.height) : status.height;
  const heights = Array.from({ length: Math.min(PAGE_BLOCKS, top) }, (_, i) => top - i);
  const [blocks, names] = await Promise.all([
    mapLimited(heights, 6, (height) => getJson<BlockView>(`/v1/blocks/${height}`, signal)),
    proposerNames(signal),
  ]);
  const pager = h('nav', { 'aria-label': 'Pages of blocks', class: 'pager' },
    top < status.height ? h('a', { href: href(['blocks'], { from: String(Math.min(status.height, top + PAGE_BLOCKS)) }) }, 'Newer blocks') : null,
    top - PAGE_BLOCKS >= 1 ? h('a', { href: href(['blocks'], { from: String(top - PAGE_BLOCKS) }) }, 'Older blocks') : null);
  fill(main,
    heading('Blocks'),
    h('p', null, `Blocks ${Math.max(1, top - PAGE_BLOCKS + 1)} to ${top} of ${status.height}, newest first.`),
    table('Blocks', ['Height', 'Time', 'Txs', 'Proposer', 'Hash'], blocks.map((b) => [
      h('a', { href: href(['blocks', b.header.height]) }, String(b.header.height)),
      formatTime(b.header.timeMs), String(b.header.txCount), names.get(b.header.proposer) ?? shortHash(b.header.proposer),
      h('code', { class: 'hex' }, shortHash(b.header.hash)),
    ])),
    pager);
};
