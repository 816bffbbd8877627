import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CHAIN_PARAMETERS, DEFAULT_GOVERNANCE, genesisToJson, type GenesisGovernance, type ChainParameters, parseGenesis, toHex, XinlianError, type Genesis, type SuiteName,
} from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import type { Identity } from './issueIdentity.js';
import {
  DAY_MS, issueNodeIdentity, issueOrganisation, portBases, writeNew, writeNode, writeOrganisation, type InitialNodeConfig, type IssuedOrganisation,
} from './organisationFiles.js';

export type { InitialNodeConfig } from './organisationFiles.js';

export interface InitChainOptions {
  /** Network directory; created when missing. */
  dir: string;
  suite: SuiteName;
  /** Number of organisations, named org1..orgN (default 1). */
  orgs?: number;
  /** Number of validator nodes, node0..node(N-1), given to organisations round-robin (default 1). */
  validators?: number;
  /**
   * Number of observer nodes after the validators, node(N)..: node certificates of their
   * organisations, not in the genesis validator set. They follow the chain and serve it, and can
   * become validators by governance (ADR 008). Default 0.
   */
  observers?: number;
  /** Encrypts every private key (PKCS#8) when given. */
  passphrase?: string;
  chainId?: string;
  /** node<i> listens on apiPortBase + i (default 8700); 0 gives every node port 0 (any free port). */
  apiPortBase?: number;
  /** node<i> takes peer connections on p2pPortBase + i (default 26650); the others are its peers. */
  p2pPortBase?: number;
  genesisTimeMs: number;
  /** Overrides of the default chain parameters (checked against CHAIN_PARAMETER_BOUNDS). */
  parameters?: Partial<ChainParameters>;
  /** Approval policies and proposal lifetime (default DEFAULT_GOVERNANCE), written into genesis.json. */
  governance?: GenesisGovernance;
}

export interface InitChainResult {
  chainId: string;
  genesis: Genesis;
  genesisFile: string;
  orgDirs: string[];
  /** One home directory per validator, node0 first. */
  nodeHomes: string[];
  /** One home directory per observer, after the validators' numbers. */
  observerHomes: string[];
}

const ORGS_MAX = 100;
const VALIDATORS_MAX = 100;

/**
 * Creates a new network: per organisation a CA plus an admin and a client identity, per validator
 * a node home (key, certificate, genesis copy, config.json), and genesis.json. Certificates start
 * one day before genesis (clock skew between machines) and last 10 years (CAs) or 2 (others).
 * Never overwrites: an existing genesis.json is ALREADY_EXISTS, and every file is created
 * exclusively. genesis.json is written last, so its presence means the set-up completed.
 */
export async function initChain(options: InitChainOptions): Promise<InitChainResult> {
  const orgCount = count(options.orgs ?? 1, 'orgs', ORGS_MAX);
  const validatorCount = count(options.validators ?? 1, 'validators', VALIDATORS_MAX);
  const observerCount = options.observers ?? 0;
  if (!Number.isInteger(observerCount) || observerCount < 0 || observerCount > VALIDATORS_MAX) {
    throw new XinlianError('BAD_REQUEST', `observers must be an integer from 0 to ${VALIDATORS_MAX}, got ${observerCount}`);
  }
  const nodeCount = validatorCount + observerCount;
  const { api: apiPortBase, p2p: p2pPortBase } = portBases(options, nodeCount);
  const genesisFile = join(options.dir, 'genesis.json');
  if (existsSync(genesisFile)) throw new XinlianError('ALREADY_EXISTS', `${genesisFile} exists; refusing to overwrite a chain`);
  const { suite, passphrase } = options;
  const notBeforeMs = options.genesisTimeMs - DAY_MS;

  // Everything is generated and validated in memory first, so a refused set-up leaves no files.
  const orgs: IssuedOrganisation[] = [];
  for (let i = 1; i <= orgCount; i++) {
    orgs.push(await issueOrganisation({ suite, passphrase, notBeforeMs, id: `org${i}`, name: `Organisation ${i}`, caCommonName: `Organisation ${i} CA`, dir: options.dir }));
  }

  const nodes: Array<{ config: InitialNodeConfig; identity: Identity; dir: string }> = [];
  for (let i = 0; i < nodeCount; i++) {
    const org = orgs[i % orgs.length]!;
    const nodeName = `node${i}`;
    const identity = await issueNodeIdentity(org, nodeName, { suite, passphrase, notBeforeMs });
    const config: InitialNodeConfig = {
      nodeName, org: org.id, apiHost: '127.0.0.1', apiPort: apiPortBase === 0 ? 0 : apiPortBase + i,
      p2pHost: '127.0.0.1', p2pPort: p2pPortBase + i,
      peers: Array.from({ length: nodeCount }, (_, j) => j).filter((j) => j !== i).map((j) => `127.0.0.1:${p2pPortBase + j}`),
      keyFile: 'node.key.pem', certFile: 'node.cert.pem', dataDir: 'data',
    };
    nodes.push({ config, identity, dir: join(options.dir, 'nodes', nodeName) });
  }

  const text = genesisToJson({
    // A fresh id per chain, so that two chains never accept each other's txs by accident.
    chainId: options.chainId ?? `xinlian-${randomBytes(4).toString('hex')}`,
    suite,
    genesisTimeMs: options.genesisTimeMs,
    organisations: orgs.map((org) => ({ id: org.id, name: org.name, caCertPem: org.ca.certPem })),
    validators: nodes.slice(0, validatorCount).map((node) => ({
      name: node.config.nodeName, org: node.config.org, publicKey: toHex(node.identity.key.publicKey), power: 1, certPem: node.identity.certPem,
    })),
    parameters: { ...DEFAULT_CHAIN_PARAMETERS, ...options.parameters },
    // Written out even when it is the default, so that operators see the rules they agreed to.
    governance: options.governance ?? DEFAULT_GOVERNANCE,
  });
  // Whatever we write must be what every node will accept: validate it the way nodes load it.
  const genesis = parseGenesis(JSON.parse(text), nodeSuite(suite));

  for (const org of orgs) writeOrganisation(org);
  for (const node of nodes) writeNode(node.dir, node.identity, { genesisText: text, config: node.config });
  writeNew(genesisFile, text);
  return { chainId: genesis.chainId, genesis, genesisFile, orgDirs: orgs.map((org) => org.dir),
    nodeHomes: nodes.slice(0, validatorCount).map((node) => node.dir), observerHomes: nodes.slice(validatorCount).map((node) => node.dir),
  };
}

function count(value: number, what: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new XinlianError('BAD_REQUEST', `${what} must be an integer from 1 to ${max}, got ${value}`);
  return value;
}
