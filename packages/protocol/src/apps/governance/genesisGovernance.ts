import type { Genesis } from '../../genesis.js';
import type { GovKind, Policy } from './govKind.js';

/**
 * The governance rules of a chain: genesis.governance, then sys/policies once block 1 has
 * materialised it (changed by setPolicy). A proposal expires proposalHeightsMax blocks after the
 * block that holds it.
 */
export interface GenesisGovernance {
  policies: Record<GovKind, Policy>;
  proposalHeightsMax: number;
}

/**
 * Two thirds of the organisations for anything that changes who is in the consortium or what it
 * runs on; a simple majority to revoke a certificate (a leaked key must be shut out quickly, and
 * revocation only ever takes rights away); every organisation to change the rules themselves.
 * proposalHeightsMax: about a day and a half at one block a second.
 */
export const DEFAULT_GOVERNANCE: GenesisGovernance = {
  policies: {
    addOrganisation: 'twoThirds',
    removeOrganisation: 'twoThirds',
    addValidator: 'twoThirds',
    removeValidator: 'twoThirds',
    setValidatorPower: 'twoThirds',
    revokeCertificate: 'majority',
    setParameter: 'twoThirds',
    setPolicy: 'all',
    setTxAcl: 'twoThirds',
    setReadAcl: 'twoThirds',
    deployContract: 'twoThirds',
    upgradeContract: 'twoThirds',
  },
  proposalHeightsMax: 100_000,
};

/** The governance of a genesis: its own, or DEFAULT_GOVERNANCE when genesis.json has none. */
export function governanceOf(genesis: Genesis): GenesisGovernance {
  const governance = genesis.governance ?? DEFAULT_GOVERNANCE;
  return { policies: { ...governance.policies }, proposalHeightsMax: governance.proposalHeightsMax };
}
