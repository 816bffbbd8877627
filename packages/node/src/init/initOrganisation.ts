import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGenesis, XinlianError, type Genesis, type SuiteName } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import type { Identity } from './issueIdentity.js';
import {
  DAY_MS, issueNodeIdentity, issueOrganisation, portBases, writeNew, writeNode, writeOrganisation, type InitialNodeConfig,
} from './organisationFiles.js';

export interface InitOrganisationOptions {
  /** Where to write: DIR/orgs/<id>/ and DIR/nodes/<id>-node<i>/; created when missing. */
  dir: string;
  /** The organisation id, as governance will know it (`[a-z0-9-]`, 1 to 32 characters). */
  id: string;
  /** Its display name, 1 to 128 characters. */
  name: string;
  suite: SuiteName;
  /** Node identities to issue, `<id>-node0` …, 0 to 100 (default 1). */
  nodes?: number;
  /**
   * The chain's genesis.json, as text. With it each node directory becomes a node home (a copy
   * of genesis and a config.json) and genesis.json is copied to DIR; without it, only identities.
   */
  genesisText?: string;
  /** `host:port` of the chain's nodes, written to each node's config.json peers (with the organisation's other nodes). */
  peers?: string[];
  /** `<id>-node<i>` serves its API on apiPortBase + i (default 8700); 0 gives every node port 0 (a free port at start). */
  apiPortBase?: number;
  /** `<id>-node<i>` takes peer connections on p2pPortBase + i (default 26650). */
  p2pPortBase?: number;
  /** Encrypts every private key (PKCS#8) when given. */
  passphrase?: string;
  /** Certificates are valid from one day before this. */
  nowMs: number;
}

export interface InitOrganisationNode {
  /** `<id>-node<i>`: the name to give `gov propose add-validator --name`. */
  name: string;
  dir: string;
  keyFile: string;
  certFile: string;
  /** config.json's content, when the directory is a node home (a genesis was given). */
  config: InitialNodeConfig | undefined;
}

export interface InitOrganisationResult {
  id: string;
  name: string;
  suite: SuiteName;
  /** The chain's id, when a genesis was given. */
  chainId: string | undefined;
  orgDir: string;
  caCertFile: string;
  caKeyFile: string;
  adminKeyFile: string;
  adminCertFile: string;
  clientKeyFile: string;
  clientCertFile: string;
  nodes: InitOrganisationNode[];
  /** DIR/genesis.json, when a genesis was given. */
  genesisFile: string | undefined;
}

export const ORG_ID_PATTERN = /^[a-z0-9-]{1,32}$/;
export const ORG_NAME_CHARS_MAX = 128;
const NODES_MAX = 100;
const PEER_ADDRESS = /^[^\s:]+:(\d{1,5})$/;
/** ub-common-name of RFC 5280. */
const COMMON_NAME_CHARS_MAX = 64;

/**
 * A new organisation for an existing chain (`xinlian org init`): its self-signed CA, an admin
 * and a client identity, and node identities, in the layout `initChain` uses. The organisation
 * becomes a member only when governance passes `addOrganisation` with its CA certificate, and a
 * node a validator when it passes `addValidator` (ADR 008); until then a node home made here can
 * start as an observer once the organisation is a member. Like initChain it never overwrites and
 * makes everything in memory first, so a refused set-up leaves no files.
 */
export async function initOrganisation(options: InitOrganisationOptions): Promise<InitOrganisationResult> {
  const { id, name, suite, passphrase } = options;
  if (!ORG_ID_PATTERN.test(id)) throw new XinlianError('BAD_REQUEST', `organisation id must be [a-z0-9-], 1 to 32 characters, got "${id}"`);
  if (name.length === 0 || name.length > ORG_NAME_CHARS_MAX) throw new XinlianError('BAD_REQUEST', `organisation name must have 1 to ${ORG_NAME_CHARS_MAX} characters`);
  const nodeCount = options.nodes ?? 1;
  if (!Number.isInteger(nodeCount) || nodeCount < 0 || nodeCount > NODES_MAX) throw new XinlianError('BAD_REQUEST', `nodes must be an integer from 0 to ${NODES_MAX}, got ${nodeCount}`);
  const { api: apiPortBase, p2p: p2pPortBase } = portBases(options, nodeCount);
  const peers = options.peers ?? [];
  for (const peer of peers) {
    const port = PEER_ADDRESS.exec(peer)?.[1];
    if (port === undefined || Number(port) < 1 || Number(port) > 65535) throw new XinlianError('BAD_REQUEST', `peer "${peer}" is not host:port`);
  }

  let genesis: Genesis | undefined;
  if (options.genesisText !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(options.genesisText);
    } catch (error) {
      throw new XinlianError('GENESIS_INVALID', `genesis is not JSON: ${(error as Error).message}`);
    }
    const chainSuite = (json as { suite?: unknown } | null)?.suite;
    if (typeof chainSuite === 'string' && chainSuite !== suite) throw new XinlianError('BAD_REQUEST', `the chain uses the ${chainSuite} suite, not ${suite}`);
    genesis = parseGenesis(json, nodeSuite(suite));
    if (genesis.organisations.some((o) => o.id === id)) throw new XinlianError('BAD_REQUEST', `organisation ${id} is in genesis already`);
  }
  const nodeNames = Array.from({ length: nodeCount }, (_, i) => `${id}-node${i}`);
  const taken = nodeNames.find((nodeName) => genesis?.validators.some((v) => v.name === nodeName));
  if (taken !== undefined) throw new XinlianError('BAD_REQUEST', `validator name ${taken} is in genesis already`);

  const orgDir = join(options.dir, 'orgs', id);
  const nodeDirs = nodeNames.map((nodeName) => join(options.dir, 'nodes', nodeName));
  for (const path of [orgDir, ...nodeDirs]) if (existsSync(path)) throw new XinlianError('ALREADY_EXISTS', `${path} exists; refusing to overwrite`);
  const genesisFile = join(options.dir, 'genesis.json');
  // DIR may be the chain directory itself (then its genesis.json is this genesis), never another chain's.
  const copyGenesis = options.genesisText !== undefined && !(existsSync(genesisFile) && sameFile(genesisFile, options.genesisText));
  if (copyGenesis && existsSync(genesisFile)) throw new XinlianError('ALREADY_EXISTS', `${genesisFile} exists and is another genesis; refusing to overwrite`);

  const notBeforeMs = options.nowMs - DAY_MS;
  const caCommonName = `${name} CA`.length <= COMMON_NAME_CHARS_MAX ? `${name} CA` : `${id} CA`;
  const org = await issueOrganisation({ suite, passphrase, notBeforeMs, id, name, caCommonName, dir: options.dir });
  const nodes: Array<{ name: string; dir: string; identity: Identity; config: InitialNodeConfig | undefined }> = [];
  for (const [i, nodeName] of nodeNames.entries()) {
    const identity = await issueNodeIdentity(org, nodeName, { suite, passphrase, notBeforeMs });
    const config: InitialNodeConfig | undefined = genesis === undefined ? undefined : {
      nodeName, org: id, apiHost: '127.0.0.1', apiPort: apiPortBase === 0 ? 0 : apiPortBase + i,
      p2pHost: '127.0.0.1', p2pPort: p2pPortBase + i,
      peers: [...peers, ...nodeNames.map((_, j) => j).filter((j) => j !== i).map((j) => `127.0.0.1:${p2pPortBase + j}`)],
      keyFile: 'node.key.pem', certFile: 'node.cert.pem', dataDir: 'data',
    };
    nodes.push({ name: nodeName, dir: nodeDirs[i]!, identity, config });
  }

  writeOrganisation(org);
  for (const node of nodes) writeNode(node.dir, node.identity, node.config === undefined ? undefined : { genesisText: options.genesisText!, config: node.config });
  if (copyGenesis) writeNew(genesisFile, options.genesisText!);
  const file = (stem: string, kind: 'key' | 'cert') => join(orgDir, `${stem}.${kind}.pem`);
  return {
    id, name, suite, chainId: genesis?.chainId, orgDir,
    caCertFile: file('ca', 'cert'), caKeyFile: file('ca', 'key'),
    adminKeyFile: file('admin', 'key'), adminCertFile: file('admin', 'cert'),
    clientKeyFile: file('client', 'key'), clientCertFile: file('client', 'cert'),
    nodes: nodes.map((node) => ({ name: node.name, dir: node.dir, keyFile: join(node.dir, 'node.key.pem'), certFile: join(node.dir, 'node.cert.pem'), config: node.config })),
    genesisFile: genesis === undefined ? undefined : genesisFile,
  };
}

function sameFile(path: string, text: string): boolean {
  return readFileSync(path, 'utf8') === text;
}
