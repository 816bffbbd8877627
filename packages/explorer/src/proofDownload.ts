// The "Download proof bundle" link offered after a proof verifies in the browser. The file is made
// here from the bundle the page verified (a Blob URL, so nothing is fetched again and the CSP
// needs no exception for script, style or connect), and the note says how to re-check it offline.
import { h } from './dom.js';
import { OFFLINE_CHECK_COMMAND, proofFileName, proofFileText } from './proofFile.js';

/**
 * A Blob URL holding the bundle's file text. It is revoked when `signal` aborts (the person left
 * the page), so a page that verifies many entries does not keep their files for the whole visit.
 */
export function proofBlobUrl(json: unknown, signal: AbortSignal): string {
  const url = URL.createObjectURL(new Blob([proofFileText(json)], { type: 'application/json' }));
  signal.addEventListener('abort', () => URL.revokeObjectURL(url), { once: true });
  return url;
}

/** The link alone: `label` names it when several are on a page (it starts with the visible text). */
export function proofDownloadLink(url: string, subject: string, label?: string): HTMLAnchorElement {
  return h('a', { href: url, download: proofFileName(subject), class: 'proof-download', 'aria-label': label }, 'Download proof bundle');
}

/** How a kept bundle is checked again: said once next to the links. */
export function offlineCheckNote(): HTMLElement {
  return h('span', { class: 'note' }, 'Keep it as evidence: anyone can check it again offline, without this node, with ',
    h('code', null, OFFLINE_CHECK_COMMAND), ' (the consortium’s genesis.json).');
}

/** The link with its note, for a page that verified one bundle. */
export function proofDownload(json: unknown, subject: string, signal: AbortSignal): HTMLElement {
  return h('p', { class: 'proof-keep' }, proofDownloadLink(proofBlobUrl(json, signal), subject), ' ', offlineCheckNote());
}
