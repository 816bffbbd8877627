import type { ChainParameters } from '../../genesis.js';
import { LIMITS } from '../../limits.js';

/** Governance txs (docs/adr/008-governance.md, docs/spec/governance.md). */
export const GOV_PROPOSE_TYPE = 'gov.propose';
export const GOV_VOTE_TYPE = 'gov.vote';

/** The kinds of change a proposal may carry; the index is the kind's tag in every encoding. */
export const GOV_KINDS = [
  'addOrganisation', 'removeOrganisation', 'addValidator', 'removeValidator', 'setValidatorPower',
  'revokeCertificate', 'setParameter', 'setPolicy', 'setTxAcl', 'setReadAcl',
  'deployContract', 'upgradeContract',
] as const;
export type GovKind = (typeof GOV_KINDS)[number];

/** Approval rules; the index is the policy's tag. See tally(). */
export const POLICIES = ['majority', 'twoThirds', 'all'] as const;
export type Policy = (typeof POLICIES)[number];

/** Chain parameters in their encoding order (a setParameter change names one of these). */
export const CHAIN_PARAMETER_NAMES = [
  'blockTxsMax', 'blockBytesMax', 'txBytesMax', 'txExpiryHeightsMax', 'blockIntervalMs',
  'timeoutProposeMs', 'timeoutProposeDeltaMs', 'timeoutPrevoteMs', 'timeoutPrevoteDeltaMs', 'timeoutPrecommitMs', 'timeoutPrecommitDeltaMs',
  'emptyBlockWaitMs',
] as const satisfies ReadonlyArray<keyof ChainParameters>;

export function isGovKind(value: unknown): value is GovKind {
  return typeof value === 'string' && (GOV_KINDS as readonly string[]).includes(value);
}

export function isPolicy(value: unknown): value is Policy {
  return typeof value === 'string' && (POLICIES as readonly string[]).includes(value);
}

export function isChainParameterName(value: unknown): value is keyof ChainParameters {
  return typeof value === 'string' && (CHAIN_PARAMETER_NAMES as readonly string[]).includes(value);
}

/**
 * Bounds of the governance encodings and state. Every list and string a decoder reads has one, and
 * the records they bound stay far below LIMITS.stateValueBytesMax (the validators record is checked
 * against it when a change is proposed, since certificates make it the largest).
 */
export const GOV_LIMITS = {
  /** Organisation ids are [a-z0-9-]{1,32}, as in genesis. */
  orgIdBytesMax: 32,
  /** 128 characters of UTF-16 (the genesis rule) take at most 384 bytes of UTF-8. */
  orgNameBytesMax: 512,
  /** Member organisations at one time (genesis allows as many organisations as validators). */
  organisationsMax: LIMITS.validatorsMax,
  validatorNameBytesMax: 64,
  /** A member's common name, as recorded with its proposal or vote. */
  memberNameBytesMax: 256,
  reasonBytesMax: 256,
  parameterNameBytesMax: 64,
  aclPrefixBytesMax: 256,
  /** Open proposals one organisation may have at once, so that none can crowd out the others. */
  openProposalsPerOrgMax: 16,
  openProposalsMax: 16 * LIMITS.validatorsMax,
  validatorPowerMax: 1_000_000,
  /** Bounds of genesis.governance.proposalHeightsMax. */
  proposalHeightsMin: 1,
  proposalHeightsMax: 10_000_000,
} as const;
