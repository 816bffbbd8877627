import {
  EVIDENCE_DEPOSIT_TYPE, encodeAclRule, encodeChainParameters, encodeOrganisationIndex, encodeOrganisationRecord,
  encodePolicies, encodeValidatorsRecord, fromHex, GOV_PROPOSE_TYPE, GOV_VOTE_TYPE, governanceOf, pemDecode, sysKey,
  type AclRule, type Genesis,
} from '@xinlian/protocol';
import type { StateWrite } from '../application.js';

/** Who may submit the built-in tx types once block 1 has run (the roles admission allowed before). */
export const DEFAULT_TX_ACLS: ReadonlyArray<[txType: string, rule: AclRule]> = [
  [EVIDENCE_DEPOSIT_TYPE, { orgs: 'all', roles: ['admin', 'client'] }],
  [GOV_PROPOSE_TYPE, { orgs: 'all', roles: ['admin'] }],
  [GOV_VOTE_TYPE, { orgs: 'all', roles: ['admin'] }],
];

/**
 * Genesis as consortium state (ADR 008): what block 1 writes under sys/ before its txs run, so that
 * every later rule reads one source. Genesis organisations joined at height 0; the genesis
 * validator set signs from height 1.
 */
export function genesisWrites(genesis: Genesis): StateWrite[] {
  const writes: StateWrite[] = genesis.organisations.map((org) => ({
    key: sysKey.org(org.id),
    value: encodeOrganisationRecord({ id: org.id, name: org.name, caCertDer: pemDecode(org.caCertPem, 'CERTIFICATE'), joinedHeight: 0, removedHeight: 0 }),
  }));
  writes.push({ key: sysKey.orgIndex(), value: encodeOrganisationIndex(genesis.organisations.map((org) => org.id)) });
  const validators = genesis.validators.map((v) => ({
    name: v.name, org: v.org, certDer: pemDecode(v.certPem, 'CERTIFICATE'), publicKey: fromHex(v.publicKey), power: v.power,
  }));
  writes.push({ key: sysKey.validators(), value: encodeValidatorsRecord({ validators, sinceHeight: 1 }) });
  writes.push({ key: sysKey.params(), value: encodeChainParameters(genesis.parameters) });
  writes.push({ key: sysKey.policies(), value: encodePolicies(governanceOf(genesis)) });
  for (const [txType, rule] of DEFAULT_TX_ACLS) writes.push({ key: sysKey.aclTx(txType), value: encodeAclRule(rule) });
  return writes;
}
