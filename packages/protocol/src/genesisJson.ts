import { isSuiteName, type VerifySuite } from './crypto/suite.js';
import { pureSuite } from './crypto/pureSuites.js';
import { XinlianError } from './errors.js';
import type { ChainParameters, Genesis, GenesisOrganisation, GenesisValidator } from './genesis.js';
import { LIMITS } from './limits.js';
import { checkGenesisCertificates } from './genesisCertificates.js';
import type { GenesisGovernance } from './apps/governance/genesisGovernance.js';
import { GOV_KINDS, GOV_LIMITS, isPolicy, POLICIES } from './apps/governance/govKind.js';

type Json = Record<string, unknown>;

const CHAIN_ID = /^[a-zA-Z0-9._-]{1,64}$/;
const ORG_ID = /^[a-z0-9-]{1,32}$/;
const VALIDATOR_NAME = /^[a-zA-Z0-9._-]{1,64}$/;
const ORG_NAME_CHARS_MAX = 128;
const POWER_MAX = 1_000_000_000; // with at most LIMITS.validatorsMax validators the total stays exact
const TIME_MS_MAX = 253_402_300_799_000; // 9999-12-31T23:59:59Z, the last instant a certificate can name

/** Inclusive bounds of each chain parameter: positive integers, and no larger than nodes can bear. */
export const CHAIN_PARAMETER_BOUNDS: Record<keyof ChainParameters, [number, number]> = {
  blockTxsMax: [1, LIMITS.blockTxsMax],
  blockBytesMax: [1024, 256 * 1024 * 1024],
  txBytesMax: [1024, LIMITS.txBytesMax],
  txExpiryHeightsMax: [1, 10_000_000],
  blockIntervalMs: [1, 60_000],
};

function fail(path: string, why: string): never {
  throw new XinlianError('GENESIS_INVALID', `genesis${path}: ${why}`);
}

function object(value: unknown, path: string, keys: readonly string[], optionalKeys: readonly string[] = []): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  // Unknown keys are refused: a misspelt parameter must not silently fall back to nothing.
  for (const key of Object.keys(value)) if (!keys.includes(key) && !optionalKeys.includes(key)) fail(path, `unknown field "${key}"`);
  for (const key of keys) if (!Object.hasOwn(value, key)) fail(`${path}.${key}`, 'is missing');
  return value as Json;
}

function string(value: unknown, path: string, pattern?: RegExp, patternText?: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  if (pattern !== undefined && !pattern.test(value)) fail(path, `"${value.slice(0, 80)}" must match ${patternText ?? String(pattern)}`);
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(path, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function array(value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  if (value.length < min || value.length > max) fail(path, `must have ${min} to ${max} entries, has ${value.length}`);
  return value;
}

/**
 * Validates a parsed genesis.json strictly and returns it typed: field types and formats, the
 * suite, unique organisation ids and validator names and keys, parameter bounds, and that each
 * validator's certificate is a node certificate from its organisation's CA, valid at genesis time,
 * for the validator's public key. Throws GENESIS_INVALID naming the offending field. `suite`
 * defaults to the pure suite; nodes pass their faster one.
 */
export function parseGenesis(json: unknown, suite?: VerifySuite): Genesis {
  const top = object(json, '', ['chainId', 'suite', 'genesisTimeMs', 'organisations', 'validators', 'parameters'], ['governance']);
  const chainId = string(top.chainId, '.chainId', CHAIN_ID, '[a-zA-Z0-9._-]{1,64}');
  if (!isSuiteName(top.suite)) fail('.suite', `must be "gm" or "intl", got ${JSON.stringify(top.suite)}`);
  const suiteName = top.suite;
  if (suite !== undefined && suite.name !== suiteName) fail('.suite', `is ${suiteName} but a ${suite.name} verifier was supplied`);
  const genesisTimeMs = integer(top.genesisTimeMs, '.genesisTimeMs', 0, TIME_MS_MAX);
  const organisations = array(top.organisations, '.organisations', 1, LIMITS.validatorsMax).map(parseOrganisation);
  const orgIds = new Set<string>();
  organisations.forEach((org, i) => {
    if (orgIds.has(org.id)) fail(`.organisations[${i}].id`, `duplicate organisation id "${org.id}"`);
    orgIds.add(org.id);
  });
  const validators = array(top.validators, '.validators', 1, LIMITS.validatorsMax).map(parseValidator);
  const params = object(top.parameters, '.parameters', Object.keys(CHAIN_PARAMETER_BOUNDS));
  const parameters = {} as ChainParameters;
  for (const [key, [min, max]] of Object.entries(CHAIN_PARAMETER_BOUNDS) as Array<[keyof ChainParameters, [number, number]]>) {
    parameters[key] = integer(params[key], `.parameters.${key}`, min, max);
  }
  if (parameters.blockBytesMax < parameters.txBytesMax) fail('.parameters.blockBytesMax', 'must be at least txBytesMax');
  const genesis: Genesis = { chainId, suite: suiteName, genesisTimeMs, organisations, validators, parameters };
  if (Object.hasOwn(top, 'governance')) genesis.governance = parseGovernance(top.governance);
  checkGenesisCertificates(genesis, suite ?? pureSuite(suiteName));
  return genesis;
}

/** Strict when present: every kind needs its policy, so a new kind cannot slip in unapproved. */
function parseGovernance(value: unknown): GenesisGovernance {
  const governance = object(value, '.governance', ['policies', 'proposalHeightsMax']);
  const listed = object(governance.policies, '.governance.policies', GOV_KINDS);
  const policies = {} as GenesisGovernance['policies'];
  for (const kind of GOV_KINDS) {
    const policy = listed[kind];
    if (!isPolicy(policy)) fail(`.governance.policies.${kind}`, `must be one of ${POLICIES.map((p) => `"${p}"`).join(', ')}, got ${JSON.stringify(policy)}`);
    policies[kind] = policy;
  }
  const proposalHeightsMax = integer(governance.proposalHeightsMax, '.governance.proposalHeightsMax', GOV_LIMITS.proposalHeightsMin, GOV_LIMITS.proposalHeightsMax);
  return { policies, proposalHeightsMax };
}

function parseOrganisation(value: unknown, index: number): GenesisOrganisation {
  const path = `.organisations[${index}]`;
  const org = object(value, path, ['id', 'name', 'caCertPem']);
  const name = string(org.name, `${path}.name`);
  if (name.length === 0 || name.length > ORG_NAME_CHARS_MAX) fail(`${path}.name`, `must have 1 to ${ORG_NAME_CHARS_MAX} characters`);
  return { id: string(org.id, `${path}.id`, ORG_ID, '[a-z0-9-]{1,32}'), name, caCertPem: string(org.caCertPem, `${path}.caCertPem`) };
}

function parseValidator(value: unknown, index: number): GenesisValidator {
  const path = `.validators[${index}]`;
  const validator = object(value, path, ['name', 'org', 'publicKey', 'power', 'certPem']);
  return {
    name: string(validator.name, `${path}.name`, VALIDATOR_NAME, '[a-zA-Z0-9._-]{1,64}'),
    org: string(validator.org, `${path}.org`, ORG_ID, '[a-z0-9-]{1,32}'),
    publicKey: string(validator.publicKey, `${path}.publicKey`, /^[0-9a-f]+$/, 'lower-case hex'),
    power: integer(validator.power, `${path}.power`, 1, POWER_MAX),
    certPem: string(validator.certPem, `${path}.certPem`),
  };
}

/**
 * genesis.json text with a fixed key order (the order of the Genesis type), 2-space indented.
 * `governance` is written only when the genesis has one (absent means the defaults).
 */
export function genesisToJson(genesis: Genesis): string {
  const p = genesis.parameters;
  const governance = genesis.governance;
  const ordered: Record<string, unknown> = {
    chainId: genesis.chainId,
    suite: genesis.suite,
    genesisTimeMs: genesis.genesisTimeMs,
    organisations: genesis.organisations.map((o) => ({ id: o.id, name: o.name, caCertPem: o.caCertPem })),
    validators: genesis.validators.map((v) => ({ name: v.name, org: v.org, publicKey: v.publicKey, power: v.power, certPem: v.certPem })),
    parameters: {
      blockTxsMax: p.blockTxsMax, blockBytesMax: p.blockBytesMax, txBytesMax: p.txBytesMax,
      txExpiryHeightsMax: p.txExpiryHeightsMax, blockIntervalMs: p.blockIntervalMs,
    },
  };
  if (governance !== undefined) {
    ordered.governance = {
      policies: Object.fromEntries(GOV_KINDS.map((kind) => [kind, governance.policies[kind]])),
      proposalHeightsMax: governance.proposalHeightsMax,
    };
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
