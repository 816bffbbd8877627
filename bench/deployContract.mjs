// Deploys a contract through governance for the benchmark, the way a consortium does: org1's admin
// proposes it, and the admins of the other organisations approve it, in order, until it passes.
import { join } from 'node:path';
import { packageContract } from '@xinlian/contracts';
import { identityFromFiles, XinlianSession } from '@xinlian/sdk';

/** Packages `entryPath` and deploys it as `name` on the chain made in `dir`, through the node at `url`; the package. */
export async function deployContract(dir, url, genesis, name, entryPath) {
  const admin = (org) => XinlianSession.connect(url, identityFromFiles(join(dir, 'orgs', org, 'admin.key.pem')), genesis);
  const proposer = await admin(genesis.organisations[0].id);
  const contract = await packageContract(entryPath, proposer.suite.hash);
  let { status, proposalId } = await proposer.proposeContract(name, contract.code);
  for (const { id } of genesis.organisations.slice(1)) {
    if (status !== 'open') break;
    ({ status } = await (await admin(id)).vote(proposalId, true));
  }
  if (status !== 'passed') throw new Error(`${name} contract not deployed: proposal ${status}`);
  return contract;
}
