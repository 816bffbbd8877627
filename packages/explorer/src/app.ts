// The router: one page per hash route, rendered into <main>; the previous page's work (requests,
// the event stream) is aborted on navigation.
import { ApiError, getJson } from './api.js';
import type { StatusView } from './apiTypes.js';
import { fill, h, heading } from './dom.js';
import { createLayout } from './layout.js';
import type { Page } from './page.js';
import { parseHash, type Route } from './route.js';
import { overviewPage } from './pages/overviewPage.js';
import { blocksPage } from './pages/blocksPage.js';
import { blockPage } from './pages/blockPage.js';
import { txPage } from './pages/txPage.js';
import { governancePage } from './pages/governancePage.js';
import { proposalPage } from './pages/proposalPage.js';
import { contractsPage } from './pages/contractsPage.js';
import { contractPage } from './pages/contractPage.js';
import { statePage } from './pages/statePage.js';
import { searchPage } from './pages/searchPage.js';
import { verifyEvidencePage } from './pages/verifyEvidencePage.js';
import { verifyProofPage } from './pages/verifyProofPage.js';
import { tracePage } from './pages/tracePage.js';

function pageFor(route: Route): Page | undefined {
  const [first, second, third] = route.segments;
  const one = second !== undefined && third === undefined;
  switch (first) {
    case undefined: return overviewPage;
    case 'blocks': return second === undefined ? blocksPage : one ? blockPage : undefined;
    case 'txs': return one ? txPage : undefined;
    case 'governance': return second === undefined ? governancePage : one ? proposalPage : undefined;
    case 'contracts': return second === undefined ? contractsPage : one ? contractPage : undefined;
    case 'state': return second === undefined ? statePage : undefined;
    case 'search': return second === undefined ? searchPage : undefined;
    case 'verify': return !one ? undefined : second === 'evidence' ? verifyEvidencePage : second === 'proof' ? verifyProofPage : undefined;
    case 'trace': return second === undefined ? tracePage : undefined;
    default: return undefined;
  }
}

const notFoundPage: Page = async ({ main }) => {
  fill(main, heading('Page not found'), h('p', null, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the overview'), '.'));
};

function showError(main: HTMLElement, error: unknown): void {
  const missing = error instanceof ApiError && error.status === 404;
  fill(main, heading(missing ? 'Not found' : 'Something went wrong'),
    h('p', { role: 'alert', class: 'error' }, error instanceof Error ? error.message : String(error)));
}

export async function startApp(root: HTMLElement): Promise<void> {
  const status = await getJson<StatusView>('/v1/status').catch(() => undefined);
  const layout = createLayout(status, () => layout.main.focus());
  root.replaceChildren(layout.header, layout.main);
  let controller: AbortController | undefined;
  const render = async (): Promise<void> => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    const { main } = layout;
    layout.setCurrent(location.hash);
    fill(main, h('p', { class: 'loading' }, 'Loading…'));
    const route = parseHash(location.hash);
    try {
      await (pageFor(route) ?? notFoundPage)({ main, route, signal: current.signal, status });
    } catch (error) {
      if (current.signal.aborted) return;
      showError(main, error);
    }
    if (current.signal.aborted) return;
    const title = main.querySelector('h1');
    document.title = `${title?.textContent ?? 'Xinlian'} · Xinlian explorer`;
    title?.focus({ preventScroll: false });
  };
  window.addEventListener('hashchange', () => void render());
  await render();
}
