import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSuiteName, type SuiteName } from '@xinlian/protocol';
import { initOrganisation, ORG_ID_PATTERN, ORG_NAME_CHARS_MAX, type InitOrganisationResult } from '@xinlian/node';
import { integerOption, optional, parse, passphraseFrom, required, UsageError } from '../cliError.js';
import { nodeHomes } from '../localNetwork.js';
import type { Command } from './command.js';

// A new organisation for an existing chain (docs/operations.md, "Joining a consortium"): its CA,
// admin, client and node identities, and with the chain's genesis, node homes that join it.

const PEER_ADDRESS = /^[^\s:]+:(\d{1,5})$/;

/** What a chain directory on this machine tells a joining organisation: its genesis, its nodes' p2p addresses and the ports they use. */
function readChainDir(dir: string): { genesisFile: string; peers: string[]; apiPortNext: number; p2pPortNext: number } {
  const configs = nodeHomes(dir).map((home) => JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { p2pHost?: string; p2pPort?: number; apiPort?: number });
  const p2pPorts = configs.map((c) => c.p2pPort ?? 26650);
  const apiPorts = configs.map((c) => c.apiPort ?? 8700);
  return {
    genesisFile: join(dir, 'genesis.json'),
    peers: configs.map((c, i) => `${c.p2pHost ?? '127.0.0.1'}:${p2pPorts[i]}`),
    // Just above the chain's own ports, so that the new nodes can run beside it; port 0 stays 0.
    apiPortNext: apiPorts.every((p) => p === 0) ? 0 : Math.max(...apiPorts) + 1,
    p2pPortNext: Math.max(...p2pPorts) + 1,
  };
}

function peersOption(value: string | boolean | undefined): string[] {
  if (typeof value !== 'string') return [];
  const peers = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const peer of peers) {
    const port = PEER_ADDRESS.exec(peer)?.[1];
    if (port === undefined || Number(port) < 1 || Number(port) > 65535) throw new UsageError(`--peers: "${peer}" is not host:port`);
  }
  return peers;
}

/** The suite a genesis.json names, if it reads; initOrganisation checks the file itself (GENESIS_INVALID). */
function chainSuite(genesisText: string): string | undefined {
  try {
    const suite = (JSON.parse(genesisText) as { suite?: unknown } | null)?.suite;
    return typeof suite === 'string' ? suite : undefined;
  } catch {
    return undefined;
  }
}

function jsonView(dir: string, result: InitOrganisationResult) {
  return {
    id: result.id, name: result.name, suite: result.suite, chainId: result.chainId ?? null, dir,
    orgDir: result.orgDir, caCert: result.caCertFile, caKey: result.caKeyFile,
    adminKey: result.adminKeyFile, adminCert: result.adminCertFile, clientKey: result.clientKeyFile, clientCert: result.clientCertFile,
    genesis: result.genesisFile ?? null,
    nodes: result.nodes.map((node) => ({
      name: node.name, dir: node.dir, key: node.keyFile, cert: node.certFile, home: node.config !== undefined,
      apiPort: node.config?.apiPort ?? null, p2pPort: node.config?.p2pPort ?? null, peers: node.config?.peers ?? null,
    })),
  };
}

function textView(dir: string, result: InitOrganisationResult): string {
  const lines = [
    `initialised organisation ${result.id} (${result.name}, ${result.suite}) in ${dir}${result.chainId === undefined ? '' : ` for chain ${result.chainId}`}`,
    `  CA        ${result.caCertFile}`,
    `  admin     ${result.adminKeyFile}`,
    `  client    ${result.clientKeyFile}`,
    ...result.nodes.map((node) => `  node      ${node.name}  ${node.dir}${node.config === undefined
      ? '  (key and certificate only)'
      : `  (node home: api port ${node.config.apiPort}, p2p ${node.config.p2pHost}:${node.config.p2pPort}, ${node.config.peers.length} peer(s))`}`),
    ...(result.genesisFile === undefined ? [] : [`  genesis   ${result.genesisFile}`]),
    'next: an admin of a member organisation proposes it, and the others vote:',
    `  xinlian gov propose add-org --id ${result.id} --name ${JSON.stringify(result.name)} --ca-cert ${result.caCertFile} --key ADMIN_KEY`,
  ];
  return `${lines.join('\n')}\n`;
}

const orgInit: Command = {
  summary: 'create a new organisation for an existing chain: CA, admin, client and node identities (and node homes)',
  usage: 'xinlian org init DIR --id ORG_ID --name NAME --suite gm|intl [--nodes N] [--genesis genesis.json | --chain CHAIN_DIR] [--peers host:port,...]\n       [--api-port-base P] [--p2p-port-base P] [--passphrase-file F] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, {
      id: { type: 'string' }, name: { type: 'string' }, suite: { type: 'string' }, nodes: { type: 'string' },
      genesis: { type: 'string' }, chain: { type: 'string' }, peers: { type: 'string' },
      'api-port-base': { type: 'string' }, 'p2p-port-base': { type: 'string' }, 'passphrase-file': { type: 'string' }, json: { type: 'boolean' },
    }, 1);
    const dir = required(positionals[0], 'DIR');
    const id = required(values.id, '--id ORG_ID');
    if (!ORG_ID_PATTERN.test(id)) throw new UsageError(`--id must be an organisation id ([a-z0-9-], 1 to 32 characters), got "${id}"`);
    const name = required(values.name, '--name NAME');
    if (name.length > ORG_NAME_CHARS_MAX) throw new UsageError(`--name must have at most ${ORG_NAME_CHARS_MAX} characters`);
    const suiteFlag = optional(values.suite);
    if (suiteFlag !== undefined && !isSuiteName(suiteFlag)) throw new UsageError(`--suite must be gm or intl, got "${suiteFlag}"`);
    const nodes = integerOption(values.nodes, '--nodes', 1, 0, 100);
    const genesisFlag = optional(values.genesis);
    const chainDir = optional(values.chain);
    if (genesisFlag !== undefined && chainDir !== undefined) throw new UsageError('give the chain as --genesis FILE or as --chain DIR (one of the two)');
    const peers = peersOption(values.peers);
    const homes = genesisFlag !== undefined || chainDir !== undefined;
    for (const flag of ['peers', 'api-port-base', 'p2p-port-base'] as const) {
      if (values[flag] !== undefined && !homes) throw new UsageError(`--${flag} is for node homes, which need the chain: give --genesis FILE or --chain DIR`);
    }
    if (chainDir !== undefined && !existsSync(join(chainDir, 'genesis.json'))) throw new UsageError(`${chainDir} is not a chain directory (no genesis.json)`);
    const chain = chainDir === undefined ? undefined : readChainDir(chainDir);
    const apiPortBase = integerOption(values['api-port-base'], '--api-port-base', chain?.apiPortNext ?? 8700, 0, 65000);
    const p2pPortBase = integerOption(values['p2p-port-base'], '--p2p-port-base', chain?.p2pPortNext ?? 26650, 1, 65000);
    const genesisFile = genesisFlag ?? chain?.genesisFile;
    const genesisText = genesisFile === undefined ? undefined : readFileSync(genesisFile, 'utf8');

    let suite: SuiteName;
    const fromChain = genesisText === undefined ? undefined : chainSuite(genesisText);
    if (suiteFlag !== undefined) {
      if (fromChain !== undefined && fromChain !== suiteFlag) throw new UsageError(`--suite ${suiteFlag} does not match the chain's suite ${fromChain} (${genesisFile})`);
      suite = suiteFlag;
    } else if (fromChain !== undefined && isSuiteName(fromChain)) {
      suite = fromChain;
    } else {
      throw new UsageError('missing --suite gm|intl');
    }

    const result = await initOrganisation({
      dir, id, name, suite, nodes, genesisText, peers: [...(chain?.peers ?? []), ...peers.filter((p) => !chain?.peers.includes(p))],
      apiPortBase, p2pPortBase, passphrase: passphraseFrom(values['passphrase-file']), nowMs: Date.now(),
    });
    process.stdout.write(values.json ? `${JSON.stringify(jsonView(dir, result))}\n` : textView(dir, result));
    return 0;
  },
};

export const org: Command = {
  summary: 'a new organisation for an existing chain: init',
  usage: `xinlian org init ...\n  ${orgInit.usage}`,
  subcommands: { init: orgInit },
  async run(argv) {
    throw new UsageError(argv[0] === undefined ? 'org needs a subcommand: init' : `unknown subcommand "${argv[0]}"`);
  },
};
