import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XinlianError } from '@xinlian/protocol';
import { XinlianClient } from '@xinlian/sdk';
import { integerOption, parse, passphraseFrom, required, UsageError } from '../cliError.js';
import type { Command } from './command.js';

const LAUNCHER = fileURLToPath(new URL('../../../bin/xinlian.js', import.meta.url));

function nodeHomes(dir: string): string[] {
  const nodes = join(dir, 'nodes');
  if (!existsSync(join(dir, 'genesis.json')) || !existsSync(nodes)) throw new UsageError(`${dir} is not a chain directory (no genesis.json or nodes/)`);
  return readdirSync(nodes).filter((name) => existsSync(join(nodes, name, 'config.json'))).sort().map((name) => join(nodes, name));
}

function readPid(home: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(home, 'node.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function apiUrl(home: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(home, 'node.json'), 'utf8')) as { apiUrl?: string }).apiUrl;
  } catch {
    return undefined;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value or the deadline passes (orchestration, not a test). */
async function until<T>(probe: () => Promise<T | undefined>, deadlineMs: number, what: string): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new XinlianError('TIMEOUT', `${what} within ${deadlineMs} ms`);
    await pause(100);
  }
}

async function nodeStatus(home: string) {
  const pid = readPid(home);
  const running = pid !== undefined && isAlive(pid);
  const url = running ? apiUrl(home) : undefined;
  const status = url === undefined ? undefined : await new XinlianClient(url, { requestTimeoutMs: 2000 }).status().catch(() => undefined);
  return {
    node: home.split('/').pop(), home, pid: running ? pid : null, running, url: url ?? null,
    height: status?.height ?? null, peers: (status as { peers?: number } | undefined)?.peers ?? null,
    lastBlockTimeMs: status?.latestBlockTimeMs ?? null,
    lastBlockTime: status?.latestBlockTimeMs ? new Date(status.latestBlockTimeMs).toISOString() : null,
  };
}

const up: Command = {
  summary: 'start every node of a chain directory as its own process',
  usage: 'xinlian net up DIR [--timeout-ms N] [--passphrase-file F] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { 'timeout-ms': { type: 'string' }, 'passphrase-file': { type: 'string' }, json: { type: 'boolean' } }, 1);
    const dir = required(positionals[0], 'DIR');
    const timeoutMs = integerOption(values['timeout-ms'], '--timeout-ms', 60_000, 1000, 600_000);
    const passphrase = passphraseFrom(values['passphrase-file']);
    const homes = nodeHomes(dir);
    for (const home of homes) {
      const pid = readPid(home);
      if (pid !== undefined && isAlive(pid)) continue;
      const log = openSync(join(home, 'node.log'), 'a');
      const child = spawn(process.execPath, [LAUNCHER, 'start', home], {
        detached: true, stdio: ['ignore', log, log], env: passphrase === undefined ? process.env : { ...process.env, XINLIAN_PASSPHRASE: passphrase },
      });
      child.unref();
      closeSync(log);
    }
    const statuses = [];
    for (const home of homes) {
      statuses.push(await until(async () => {
        const status = await nodeStatus(home);
        return status.url !== null && status.height !== null ? status : undefined;
      }, timeoutMs, `node ${home} did not answer (see ${join(home, 'node.log')})`));
    }
    // With several validators the network makes blocks on its own: wait for the first one.
    if (homes.length > 1) {
      await until(async () => {
        const status = await nodeStatus(homes[0]!);
        return (status.height ?? 0) >= 1 ? status : undefined;
      }, timeoutMs, 'the network committed no block');
    }
    const out = await Promise.all(homes.map(nodeStatus));
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
    const pids = nodeHomes(required(positionals[0], 'DIR')).map(readPid).filter((pid): pid is number => pid !== undefined && isAlive(pid));
    for (const pid of pids) process.kill(pid, 'SIGTERM');
    const end = Date.now() + timeoutMs;
    while (pids.some(isAlive) && Date.now() < end) await pause(50);
    const stubborn = pids.filter(isAlive);
    for (const pid of stubborn) process.kill(pid, 'SIGKILL');
    process.stdout.write(`stopped ${pids.length} node(s)${stubborn.length > 0 ? ` (${stubborn.length} killed)` : ''}\n`);
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
