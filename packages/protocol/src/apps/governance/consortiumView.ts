import { fromUtf8 } from '../../bytes.js';
import type { ChainParameters } from '../../genesis.js';
import type { ValidatorSet } from '../../ledger/validatorSet.js';
import type { AclRule } from './aclRule.js';
import {
  decodeAclRule, decodeChainParameters, decodeOrganisationIndex, decodeOrganisationRecord, decodePolicies,
  decodeRevocationRecord, decodeValidatorsNextRecord, decodeValidatorsRecord, validatorSetOf,
  type OrganisationRecord, type RevocationRecord, type ValidatorEntry, type ValidatorsNextRecord, type ValidatorsRecord,
} from './consortiumRecords.js';
import type { GenesisGovernance } from './genesisGovernance.js';
import { decodeOpenProposals, decodeProposalRecord, type OpenProposal, type ProposalRecord } from './proposalRecord.js';
import { sysKey } from './sysKey.js';
import { decodeContractIndex, decodeContractRecord, type ContractRecord } from '../contracts/contractRecord.js';

/** Any key-value reader of the state: the node's StateReader, a proven value, a test's Map. */
export interface KeyValueReader {
  get(key: Uint8Array): Uint8Array | undefined;
}

/** The validator set that runs consensus at a height, with who its members are. */
export interface ValidatorSetAt {
  set: ValidatorSet;
  validators: ValidatorEntry[];
  /** The height this set took effect (or takes effect, for an announced one). */
  sinceHeight: number;
}

/** Typed reads of the consortium state (sys/). Every value is decoded strictly on each call. */
export interface ConsortiumView {
  /** True once block 1 has written genesis into sys/ (the organisation index exists). */
  materialised(): boolean;
  /** Member organisation ids, in join order. */
  memberIds(): string[];
  /** Member organisations, in join order. */
  organisations(): OrganisationRecord[];
  /** A member's or a removed organisation's record. */
  organisation(id: string): OrganisationRecord | undefined;
  isMember(id: string): boolean;
  revocation(certHash: Uint8Array): RevocationRecord | undefined;
  isRevoked(certHash: Uint8Array): boolean;
  validators(): ValidatorsRecord | undefined;
  nextValidators(): ValidatorsNextRecord | undefined;
  /** See validatorSetAt(). */
  validatorSetAt(height: number): ValidatorSetAt | undefined;
  params(): ChainParameters | undefined;
  policies(): GenesisGovernance | undefined;
  proposal(id: Uint8Array): ProposalRecord | undefined;
  /** Proposals the state still lists as open, oldest first (some may be past their deadline). */
  openProposals(): OpenProposal[];
  txAcl(txType: string): AclRule | undefined;
  readAcl(prefix: string): AclRule | undefined;
  /** The rule of the longest '/'-terminated prefix of `key` that has one. */
  readAclFor(key: Uint8Array): { prefix: string; rule: AclRule } | undefined;
  /** A deployed contract's current version (ADR 010). */
  contract(name: string): ContractRecord | undefined;
  /** Deployed contract names, in deployment order. */
  contractNames(): string[];
  /** Contract code by its hash (UTF-8 bytes of the packaged JavaScript). */
  code(codeHash: Uint8Array): Uint8Array | undefined;
}

export function consortiumView(state: KeyValueReader): ConsortiumView {
  const read = <T>(key: Uint8Array, decode: (bytes: Uint8Array) => T): T | undefined => {
    const bytes = state.get(key);
    return bytes === undefined ? undefined : decode(bytes);
  };
  const view: ConsortiumView = {
    materialised: () => state.get(sysKey.orgIndex()) !== undefined,
    memberIds: () => read(sysKey.orgIndex(), decodeOrganisationIndex) ?? [],
    organisations: () => view.memberIds().map((id) => view.organisation(id)).filter((org): org is OrganisationRecord => org !== undefined),
    organisation: (id) => read(sysKey.org(id), decodeOrganisationRecord),
    isMember: (id) => {
      const org = view.organisation(id);
      return org !== undefined && org.removedHeight === 0;
    },
    revocation: (certHash) => read(sysKey.revoked(certHash), decodeRevocationRecord),
    isRevoked: (certHash) => state.get(sysKey.revoked(certHash)) !== undefined,
    validators: () => read(sysKey.validators(), decodeValidatorsRecord),
    nextValidators: () => read(sysKey.validatorsNext(), decodeValidatorsNextRecord),
    validatorSetAt: (height) => validatorSetAt(state, height),
    params: () => read(sysKey.params(), decodeChainParameters),
    policies: () => read(sysKey.policies(), decodePolicies),
    proposal: (id) => read(sysKey.proposal(id), decodeProposalRecord),
    openProposals: () => read(sysKey.proposalIndex(), decodeOpenProposals) ?? [],
    txAcl: (txType) => read(sysKey.aclTx(txType), decodeAclRule),
    readAcl: (prefix) => read(sysKey.aclRead(prefix), decodeAclRule),
    readAclFor: (key) => {
      // Read rules name prefixes that end in '/', so only the key's '/'-terminated prefixes can match.
      for (let end = key.lastIndexOf(0x2f); end >= 0; end = end === 0 ? -1 : key.lastIndexOf(0x2f, end - 1)) {
        let prefix: string;
        try {
          prefix = fromUtf8(key.subarray(0, end + 1));
        } catch {
          continue; // a binary key whose prefix is no UTF-8 string cannot be named by a rule
        }
        const rule = view.readAcl(prefix);
        if (rule !== undefined) return { prefix, rule };
      }
      return undefined;
    },
    contract: (name) => read(sysKey.contract(name), decodeContractRecord),
    contractNames: () => read(sysKey.contractIndex(), decodeContractIndex) ?? [],
    code: (codeHash) => state.get(sysKey.code(codeHash)),
  };
  return view;
}

/**
 * The validator set that proposes and signs block `height`, read from the state after block
 * height − 1: the announced set once its effective height is reached, else the set in force.
 * Undefined before block 1 has materialised genesis (use validatorSetFromGenesis then).
 */
export function validatorSetAt(state: KeyValueReader, height: number): ValidatorSetAt | undefined {
  const nextBytes = state.get(sysKey.validatorsNext());
  if (nextBytes !== undefined) {
    const next = decodeValidatorsNextRecord(nextBytes);
    if (next.effectiveHeight <= height) return { set: validatorSetOf(next.validators), validators: next.validators, sinceHeight: next.effectiveHeight };
  }
  const currentBytes = state.get(sysKey.validators());
  if (currentBytes === undefined) return undefined;
  const current = decodeValidatorsRecord(currentBytes);
  return { set: validatorSetOf(current.validators), validators: current.validators, sinceHeight: current.sinceHeight };
}
