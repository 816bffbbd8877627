// #/contracts: the deployed contracts.
import { getJson } from '../api.js';
import type { ContractView } from '../apiTypes.js';
import { fill, h, heading, table } from '../dom.js';
import { shortHash } from '../format.js';
import type { Page } from '../page.js';
import { href } from '../route.js';

export const contractsPage: Page = async ({ main, signal }) => {
  const { contracts } = await getJson<{ contracts: ContractView[] }>('/v1/contracts', signal);
  fill(main,
    heading('Contracts'),
    h('p', null, 'Smart contracts run only once the organisations approved their code by vote; each version is identified by the hash of its code.'),
    table('Contracts', ['Name', 'Version', 'Code hash', 'Approved by', 'Deployed at block'], contracts.map((c) => [
      h('a', { href: href(['contracts', c.name]) }, c.name), String(c.version), h('code', { class: 'hex' }, shortHash(c.codeHash, 16)),
      c.approvedBy.join(', '), String(c.deployedHeight),
    ]), 'No contracts deployed'));
};
