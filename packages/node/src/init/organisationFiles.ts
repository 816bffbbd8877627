import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { XinlianError, type SuiteName } from '@xinlian/protocol';
import { issueIdentity, type Identity } from './issueIdentity.js';
import type { NodeConfig } from '../nodeConfig.js';

// What `xinlian init` and `xinlian org init` both make: an organisation (CA, admin, client) and
// node identities, and how they are laid out on disk (docs/operations.md, "The chain directory").

export const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
export const CA_VALIDITY_MS = 10 * YEAR_MS;
export const MEMBER_VALIDITY_MS = 2 * YEAR_MS;

/** What initChain and initOrganisation write to a node home's config.json (the node fills in defaults for the rest). */
export type InitialNodeConfig = Pick<NodeConfig, 'nodeName' | 'org' | 'apiHost' | 'apiPort' | 'p2pHost' | 'p2pPort' | 'peers' | 'keyFile' | 'certFile' | 'dataDir'>;

/** An organisation made in memory: its CA and its members (admin, then client), not yet written. */
export interface IssuedOrganisation {
  id: string;
  name: string;
  ca: Identity;
  members: Identity[];
  /** DIR/orgs/<id>: where writeOrganisation puts it. */
  dir: string;
}

export interface IssueOrganisationOptions {
  suite: SuiteName;
  id: string;
  name: string;
  /** The CA's common name (at most 64 characters). */
  caCommonName: string;
  /** The chain or organisation directory; the files go to DIR/orgs/<id>. */
  dir: string;
  /** Certificates are valid from here: CAs for 10 years, members for 2. */
  notBeforeMs: number;
  passphrase?: string;
}

/** A self-signed organisation CA and, issued by it, an admin and a client identity. */
export async function issueOrganisation(options: IssueOrganisationOptions): Promise<IssuedOrganisation> {
  const { suite, passphrase, id, notBeforeMs } = options;
  const ca = await issueIdentity({ suite, passphrase, subject: { commonName: options.caCommonName, organisation: id }, notBeforeMs, notAfterMs: notBeforeMs + CA_VALIDITY_MS });
  const members: Identity[] = [];
  for (const role of ['admin', 'client'] as const) {
    members.push(await issueIdentity({ suite, passphrase, issuer: ca, subject: { commonName: `${role}.${id}`, organisation: id, role }, notBeforeMs, notAfterMs: notBeforeMs + MEMBER_VALIDITY_MS }));
  }
  return { id, name: options.name, ca, members, dir: join(options.dir, 'orgs', id) };
}

/** A node identity (role node, common name `<nodeName>.<org>`) issued by the organisation's CA. */
export function issueNodeIdentity(org: IssuedOrganisation, nodeName: string, options: { suite: SuiteName; notBeforeMs: number; passphrase?: string }): Promise<Identity> {
  const { suite, passphrase, notBeforeMs } = options;
  return issueIdentity({ suite, passphrase, issuer: org.ca, subject: { commonName: `${nodeName}.${org.id}`, organisation: org.id, role: 'node' }, notBeforeMs, notAfterMs: notBeforeMs + MEMBER_VALIDITY_MS });
}

/** DIR/orgs/<id>/{ca,admin,client}.{key,cert}.pem. */
export function writeOrganisation(org: IssuedOrganisation): void {
  writeIdentity(org.dir, 'ca', org.ca);
  for (const member of org.members) writeIdentity(org.dir, member.name.role!, member);
}

/**
 * A node's directory: node.key.pem and node.cert.pem and, when the chain is known, genesis.json
 * and config.json, which make it a node home that `xinlian start` runs.
 */
export function writeNode(dir: string, identity: Identity, home?: { genesisText: string; config: InitialNodeConfig }): void {
  writeIdentity(dir, 'node', identity);
  if (home === undefined) return;
  writeNew(join(dir, 'genesis.json'), home.genesisText);
  writeNew(join(dir, 'config.json'), `${JSON.stringify(home.config, null, 2)}\n`);
}

export function writeIdentity(dir: string, stem: string, identity: Identity): void {
  writeNew(join(dir, `${stem}.key.pem`), identity.keyPem, 0o600);
  writeNew(join(dir, `${stem}.cert.pem`), identity.certPem);
}

/**
 * The API and p2p port bases for `nodeCount` nodes (node i gets base + i): defaults 8700 and 26650;
 * an API base of 0 gives every node port 0 (any free port). BAD_REQUEST when the ports do not fit.
 */
export function portBases(options: { apiPortBase?: number; p2pPortBase?: number }, nodeCount: number): { api: number; p2p: number } {
  const api = options.apiPortBase ?? 8700;
  if (!Number.isInteger(api) || api < 0 || api + nodeCount - 1 > 65535) {
    throw new XinlianError('BAD_REQUEST', `apiPortBase ${api} leaves no room for ${nodeCount} ports`);
  }
  const p2p = options.p2pPortBase ?? 26650;
  if (!Number.isInteger(p2p) || p2p < 1 || p2p + nodeCount - 1 > 65535) {
    throw new XinlianError('BAD_REQUEST', `p2pPortBase ${p2p} leaves no room for ${nodeCount} ports`);
  }
  return { api, p2p };
}

/** Creates the file and its directory; 'wx' fails rather than replace anything already there. */
export function writeNew(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, text, { flag: 'wx', mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new XinlianError('ALREADY_EXISTS', `${path} exists; refusing to overwrite`);
    throw error;
  }
}
