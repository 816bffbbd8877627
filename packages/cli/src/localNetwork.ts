import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XinlianError } from '@xinlian/protocol';
import { XinlianClient } from '@xinlian/sdk';
import { isProcessAlive } from '@xinlian/node';
import { UsageError } from './cliError.js';

/**
 * A chain directory's nodes as local OS processes: started detached (pid in NODE_HOME/node.pid,
 * output in NODE_HOME/node.log), watched through their APIs, stopped by signal. Used by
 * `xinlian net` and by the demo.
 */
const LAUNCHER = fileURLToPath(new URL('../../bin/xinlian.js', import.meta.url));

export interface NodeStatus {
  node: string | undefined;
  home: string;
  pid: number | null;
  running: boolean;
  url: string | null;
  height: number | null;
  peers: number | null;
  lastBlockTimeMs: number | null;
  lastBlockTime: string | null;
}

export function nodeHomes(dir: string): string[] {
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

function apiUrl(home: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(home, 'node.json'), 'utf8')) as { apiUrl?: string }).apiUrl;
  } catch {
    return undefined;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value or the deadline passes (orchestration, not a test);
 * `failed` ends the wait at once with its error (a node process that exited).
 */
async function until<T>(probe: () => Promise<T | undefined>, deadlineMs: number, what: string, failed: () => XinlianError | undefined = () => undefined): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    const error = failed();
    if (error !== undefined) throw error;
    if (Date.now() > end) throw new XinlianError('TIMEOUT', `${what} within ${deadlineMs} ms`);
    await pause(100);
  }
}

export async function nodeStatus(home: string): Promise<NodeStatus> {
  const pid = readPid(home);
  const running = pid !== undefined && isProcessAlive(pid);
  const url = running ? apiUrl(home) : undefined;
  const status = url === undefined ? undefined : await new XinlianClient(url, { requestTimeoutMs: 2000 }).status().catch(() => undefined);
  return {
    node: home.split('/').pop(), home, pid: running ? pid! : null, running, url: url ?? null,
    height: status?.height ?? null, peers: (status as { peers?: number } | undefined)?.peers ?? null,
    lastBlockTimeMs: status?.latestBlockTimeMs ?? null,
    lastBlockTime: status?.latestBlockTimeMs ? new Date(status.latestBlockTimeMs).toISOString() : null,
  };
}

/**
 * Starts every node of `dir` that is not running, waits until each answers and, with several
 * validators, until the network has committed its first block.
 */
export async function networkUp(dir: string, timeoutMs: number, passphrase?: string): Promise<NodeStatus[]> {
  const homes = nodeHomes(dir);
  const exits = new Map<string, number | null>();
  for (const home of homes) {
    const pid = readPid(home);
    if (pid !== undefined && isProcessAlive(pid)) continue;
    const log = openSync(join(home, 'node.log'), 'a');
    const child = spawn(process.execPath, [LAUNCHER, 'start', home], {
      detached: true, stdio: ['ignore', log, log], env: passphrase === undefined ? process.env : { ...process.env, XINLIAN_PASSPHRASE: passphrase },
    });
    child.once('exit', (code) => exits.set(home, code));
    child.unref();
    closeSync(log);
  }
  for (const home of homes) {
    await until(async () => {
      const status = await nodeStatus(home);
      return status.url !== null && status.height !== null ? status : undefined;
    }, timeoutMs, `node ${home} did not answer (see ${join(home, 'node.log')})`, () => {
      if (!exits.has(home)) return undefined;
      const lastLine = readFileSync(join(home, 'node.log'), 'utf8').trimEnd().split('\n').pop() ?? '';
      return new XinlianError('UNAVAILABLE', `node ${home} exited with code ${exits.get(home)} before it answered: ${lastLine} (see ${join(home, 'node.log')})`);
    });
  }
  if (homes.length > 1) {
    await until(async () => {
      const status = await nodeStatus(homes[0]!);
      return (status.height ?? 0) >= 1 ? status : undefined;
    }, timeoutMs, 'the network committed no block');
  }
  return Promise.all(homes.map(nodeStatus));
}

/** SIGTERM to every running node of `dir`, SIGKILL to those still running after `timeoutMs`. */
export async function networkDown(dir: string, timeoutMs: number): Promise<{ stopped: number; killed: number }> {
  const pids = nodeHomes(dir).map(readPid).filter((pid): pid is number => pid !== undefined && isProcessAlive(pid));
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  const end = Date.now() + timeoutMs;
  while (pids.some(isProcessAlive) && Date.now() < end) await pause(50);
  const stubborn = pids.filter(isProcessAlive);
  for (const pid of stubborn) process.kill(pid, 'SIGKILL');
  return { stopped: pids.length, killed: stubborn.length };
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * API and p2p port bases for `count` nodes: the preferred ones when all those ports are free
 * (never when preferred.api is 0), otherwise random bases in 20000..31999 (API) and 10000..19999
 * (p2p) whose ports are free now: below Linux's ephemeral range (32768..60999), where ports that
 * other programs bind to port 0 land, so a port free at init stays free for the node.
 */
export async function freePortBases(count: number, preferred: { api: number; p2p: number }, attemptsMax = 50): Promise<{ api: number; p2p: number }> {
  const allFree = async (bases: { api: number; p2p: number }): Promise<boolean> => {
    for (let i = 0; i < count; i++) {
      if (!(await portFree(bases.api + i)) || !(await portFree(bases.p2p + i))) return false;
    }
    return true;
  };
  if (preferred.api > 0 && await allFree(preferred)) return preferred;
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    const bases = { api: 20_000 + Math.floor(Math.random() * 12_000 - count), p2p: 10_000 + Math.floor(Math.random() * 10_000 - count) };
    if (await allFree(bases)) return bases;
  }
  throw new XinlianError('UNAVAILABLE', `found no ${count} free API and p2p ports after ${attemptsMax} attempts`);
}
