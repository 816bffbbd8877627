// #/search?q=<64 hex>: asks the node whether the hash is a block, a tx or a deposited document,
// and goes there.
import { getOptional } from '../api.js';
import { fill, h, heading } from '../dom.js';
import type { Page } from '../page.js';
import { href } from '../route.js';
import { classifySearch, resolveHash, searchHref } from '../searchTarget.js';

export const searchPage: Page = async ({ main, route, signal }) => {
  const query = route.query.get('q') ?? '';
  const target = classifySearch(query);
  if (target.kind !== 'hash') {
    const next = searchHref(target);
    if (next !== undefined && !next.startsWith('#/search')) {
      location.replace(next);
      return;
    }
    fill(main, heading('Search'), h('p', null, 'Search by block height, block hash, tx id, document hash or state key.'));
    return;
  }
  const found = await resolveHash(target.hash, (path) => getOptional<unknown>(path, signal));
  if (signal.aborted) return;
  if (found !== undefined) {
    location.replace(found);
    return;
  }
  fill(main,
    heading('Search'),
    h('p', { role: 'alert' }, `Nothing on this chain has the hash ${target.hash}: no block, no tx and no deposited document.`),
    h('p', null, 'It may also be a state key: ', h('a', { href: href(['state'], { key: target.hash }) }, 'look it up as a key'), '.'));
};
