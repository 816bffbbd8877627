// #/contracts/<name>: versions, approvals and the code, whose hash is checked here.
import { pureSuite, toHex, utf8 } from '@xinlian/protocol';
import { getJson } from '../api.js';
import type { ContractCodeView, ContractView, StatusView } from '../apiTypes.js';
import { fields, fill, h, heading, hex, table } from '../dom.js';
import { shortHash } from '../format.js';
import type { Page } from '../page.js';
import { href } from '../route.js';

export const contractPage: Page = async ({ main, route, signal }) => {
  const name = route.segments[1]!;
  const [contract, status] = await Promise.all([
    getJson<ContractView>(`/v1/contracts/${encodeURIComponent(name)}`, signal), getJson<StatusView>('/v1/status', signal),
  ]);
  const code = h('div', null);
  const show = h('button', { type: 'button' }, 'Show code');
  show.addEventListener('click', () => {
    show.disabled = true;
    fill(code, 'Loading the code…');
    getJson<ContractCodeView>(`/v1/contracts/${encodeURIComponent(name)}/code`, signal).then((view) => {
      const computed = toHex(pureSuite(status.suite).hash(utf8(view.code)));
      const matches = computed === view.codeHash && view.codeHash === contract.codeHash;
      fill(code,
        h('p', { class: matches ? 'ok' : 'error' }, matches
          ? `The code’s hash, computed in this browser, is the approved code hash ${shortHash(computed, 16)}.`
          : `The code’s hash computed in this browser (${computed}) is not the approved code hash ${contract.codeHash}.`),
        h('pre', { class: 'code code-viewer', tabindex: 0, 'aria-label': `Code of ${name} version ${view.version}` }, view.code));
    }).catch((error: unknown) => fill(code, h('p', { class: 'error', role: 'alert' }, (error as Error).message)));
  });
  fill(main,
    heading(`Contract ${contract.name}`),
    fields([
      ['Current version', String(contract.version)],
      ['Code hash', hex(contract.codeHash)],
      ['Code size', `${contract.codeBytes} bytes`],
      ['Approved by', contract.approvedBy.join(', ')],
      ['Approved in', h('a', { href: href(['governance', contract.proposalId]) }, 'the proposal')],
      ['Deployed at block', String(contract.deployedHeight)],
    ]),
    h('h2', null, 'Versions'),
    table('Versions', ['Version', 'Code hash', 'Approved by', 'From block', 'Proposal'], (contract.versions ?? []).map((v) => [
      String(v.version), h('code', { class: 'hex' }, shortHash(v.codeHash, 16)), v.approvedBy.join(', '), String(v.height),
      h('a', { href: href(['governance', v.proposalId]) }, shortHash(v.proposalId)),
    ])),
    h('h2', null, 'Code'),
    h('p', null, show),
    code);
};
