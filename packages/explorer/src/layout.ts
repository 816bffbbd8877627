// The frame of every page: a header with the chain, the navigation and the search form, and <main>.
import type { StatusView } from './apiTypes.js';
import { h } from './dom.js';
import { classifySearch, searchHref } from './searchTarget.js';

export const NAV_LINKS: ReadonlyArray<readonly [label: string, target: string]> = [
  ['Overview', '#/'],
  ['Blocks', '#/blocks'],
  ['Governance', '#/governance'],
  ['Contracts', '#/contracts'],
  ['Verify document', '#/verify/evidence'],
  ['Verify proof', '#/verify/proof'],
  ['Trace product', '#/trace'],
];

export interface Layout {
  header: HTMLElement;
  main: HTMLElement;
  /** Marks the nav link of the current page and closes the menu on a phone. */
  setCurrent(hash: string): void;
}

function searchForm(): HTMLFormElement {
  const input = h('input', { type: 'search', name: 'q', 'aria-label': 'Search', placeholder: 'Height, hash, tx id or key', autocomplete: 'off', spellcheck: 'false' });
  return h('form', {
    role: 'search', class: 'search',
    onsubmit: (event: Event) => {
      event.preventDefault();
      const target = searchHref(classifySearch(input.value));
      if (target !== undefined) location.hash = target;
    },
  }, input, h('button', { type: 'submit' }, 'Search'));
}

function currentSection(hash: string): string {
  const path = hash.replace(/^#/, '').split('?')[0]!.replace(/\/+$/, '');
  if (path === '' || path === '/') return '#/';
  if (path.startsWith('/txs') || path.startsWith('/search') || path.startsWith('/state')) return '';
  const match = NAV_LINKS.find(([, target]) => target !== '#/' && (path === target.slice(1) || path.startsWith(`${target.slice(1)}/`)));
  return match?.[1] ?? '';
}

export function createLayout(status: StatusView | undefined, skipTo: () => void): Layout {
  const links = NAV_LINKS.map(([label, target]) => h('a', { href: target }, label));
  const nav = h('nav', { id: 'site-nav', 'aria-label': 'Main', class: 'site-nav' }, h('ul', null, links.map((link) => h('li', null, link))));
  const toggle = h('button', { type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav' }, 'Menu');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  });
  const chain = status === undefined
    ? h('p', { class: 'chain' }, 'node not reachable')
    : h('p', { class: 'chain' }, 'chain ', h('strong', { 'data-chain-id': '' }, status.chainId), ' · suite ', h('strong', { 'data-suite': '' }, status.suite));
  const skip = h('a', { href: '#main', class: 'skip-link', onclick: (event: Event) => { event.preventDefault(); skipTo(); } }, 'Skip to content');
  const header = h('header', { class: 'site-header' },
    skip,
    h('div', { class: 'header-top' }, h('a', { href: '#/', class: 'brand' }, 'Xinlian explorer'), chain, toggle),
    nav,
    searchForm());
  const main = h('main', { id: 'main', tabindex: -1 });
  return {
    header,
    main,
    setCurrent(hash) {
      const section = currentSection(hash);
      for (const link of links) {
        if (link.getAttribute('href') === section) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
      toggle.setAttribute('aria-expanded', 'false');
      nav.classList.remove('open');
    },
  };
}
