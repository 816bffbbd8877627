import { integerOption, parse, passphraseFrom, required, UsageError } from '../cliError.js';
import { networkDown, networkUp, nodeHomes, nodeStatus } from '../localNetwork.js';
import type { Command } from './command.js';

const up: Command = {
  summary: 'start every node of a chain directory as its own process',
  usage: 'xinlian net up DIR [--timeout-ms N] [--passphrase-file F] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { 'timeout-ms': { type: 'string' }, 'passphrase-file': { type: 'string' }, json: { type: 'boolean' } }, 1);
    const dir = required(positionals[0], 'DIR');
    const timeoutMs = integerOption(values['timeout-ms'], '--timeout-ms', 60_000, 1000, 600_000);
    const passphrase = passphraseFrom(values['passphrase-file']);
    const out = await networkUp(dir, timeoutMs, passphrase);
    process.stdout.write(values.json ? `${JSON.stringify({ nodes: out })}\n` : `${out.map((s) => `${s.node}  ${s.url}  pid ${s.pid}  height ${s.height}`).join('\n')}\n`);
    return 0;
  },
};

const status: Command = {
  summary: 'height, peers and last block time of every node',
  usage: 'xinlian net status DIR [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, 1);
    const out = await Promise.all(nodeHomes(required(positionals[0], 'DIR')).map(nodeStatus));
    process.stdout.write(values.json ? `${JSON.stringify({ nodes: out })}\n` : `${out.map((s) => `${s.node}  ${s.running ? 'running' : 'stopped'}  ${s.url ?? '-'}  height ${s.height ?? '-'}  last block ${s.lastBlockTime ?? '-'}`).join('\n')}\n`);
    return 0;
  },
};

const down: Command = {
  summary: 'stop every node of a chain directory (SIGTERM, then SIGKILL after --timeout-ms)',
  usage: 'xinlian net down DIR [--timeout-ms N]',
  async run(argv) {
    const { values, positionals } = parse(argv, { 'timeout-ms': { type: 'string' } }, 1);
    const timeoutMs = integerOption(values['timeout-ms'], '--timeout-ms', 10_000, 100, 600_000);
    const { stopped, killed } = await networkDown(required(positionals[0], 'DIR'), timeoutMs);
    process.stdout.write(`stopped ${stopped} node(s)${killed > 0 ? ` (${killed} killed)` : ''}\n`);
    return 0;
  },
};

export const net: Command = {
  summary: 'local networks: up | status | down',
  usage: `xinlian net up|status|down DIR\n  ${up.usage}\n  ${status.usage}\n  ${down.usage}`,
  subcommands: { up, status, down },
  async run(argv) {
    throw new UsageError(argv[0] === undefined ? 'net needs a subcommand: up | status | down' : `unknown subcommand "${argv[0]}"`);
  },
};
