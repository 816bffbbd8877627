import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { XinlianError } from '@xinlian/protocol';

/** NODE_HOME/config.json, written by `xinlian init`; everything but the names has a default. */
export interface NodeConfig {
  nodeName: string;
  org: string;
  apiHost: string;
  /** 0 picks a free port; the node writes the one it got to NODE_HOME/node.json. */
  apiPort: number;
  /** Where this node takes connections from its peers (issue 3's network). */
  p2pHost: string;
  p2pPort: number;
  /** host:port of the other nodes to connect to. */
  peers: string[];
  keyFile: string;
  certFile: string;
  dataDir: string;
  mempoolTxsMax: number;
  mempoolBytesMax: number;
  /** Worker threads for signature verification (0: verify on the main thread). */
  verifyThreads: number;
  /** 1: blocks execute on a worker thread (ADR 014); 0: on the main thread (for debugging). */
  executionThreads: number;
  /**
   * A proposal holds the pool's txs this node could execute in this long (ADR 014): the rest wait
   * for the next block, so that an honest proposal stays well inside the round's timeouts.
   */
  proposalExecutionMsMax: number;
  apiBodyBytesMax: number;
  /** Open API connections at most; more are refused by the kernel backlog, not served slowly. */
  apiConnectionsMax: number;
  waitersMax: number;
  streamsMax: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

const DEFAULTS: Omit<NodeConfig, 'nodeName' | 'org' | 'keyFile' | 'certFile'> = {
  apiHost: '127.0.0.1',
  apiPort: 8700,
  p2pHost: '127.0.0.1',
  p2pPort: 26650,
  peers: [],
  dataDir: 'data',
  mempoolTxsMax: 100_000,
  mempoolBytesMax: 256 * 1024 * 1024,
  verifyThreads: 2,
  executionThreads: 1,
  proposalExecutionMsMax: 1000,
  apiBodyBytesMax: 16 * 1024 * 1024,
  apiConnectionsMax: 1024,
  waitersMax: 10_000,
  streamsMax: 100,
  logLevel: 'info',
};

export function loadNodeConfig(home: string): NodeConfig & { home: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
  } catch (error) {
    throw new XinlianError('BAD_REQUEST', `cannot read ${join(home, 'config.json')}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new XinlianError('BAD_REQUEST', 'config.json must be an object');
  const config = { ...DEFAULTS, ...(raw as Partial<NodeConfig>) } as NodeConfig;
  for (const field of ['nodeName', 'org', 'keyFile', 'certFile', 'apiHost', 'p2pHost', 'dataDir'] as const) {
    if (typeof config[field] !== 'string' || config[field] === '') throw new XinlianError('BAD_REQUEST', `config.json: ${field} must be a non-empty string`);
  }
  for (const field of ['apiPort', 'p2pPort', 'mempoolTxsMax', 'mempoolBytesMax', 'verifyThreads', 'executionThreads', 'proposalExecutionMsMax', 'apiBodyBytesMax', 'apiConnectionsMax', 'waitersMax', 'streamsMax'] as const) {
    if (!Number.isInteger(config[field]) || config[field] < 0) throw new XinlianError('BAD_REQUEST', `config.json: ${field} must be a non-negative integer`);
  }
  if (config.executionThreads > 1) throw new XinlianError('BAD_REQUEST', 'config.json: executionThreads must be 0 or 1 (blocks execute in order, on one thread)');
  if (!Array.isArray(config.peers) || !config.peers.every((peer) => typeof peer === 'string' && /^[^\s:]+:\d{1,5}$/.test(peer))) {
    throw new XinlianError('BAD_REQUEST', 'config.json: peers must be a list of "host:port" strings');
  }
  if (!['debug', 'info', 'warn', 'error'].includes(config.logLevel)) {
    throw new XinlianError('BAD_REQUEST', `config.json: logLevel must be debug, info, warn or error, got "${String(config.logLevel)}"`);
  }
  const unknown = Object.keys(raw).filter((field) => !(field in DEFAULTS) && !['nodeName', 'org', 'keyFile', 'certFile'].includes(field));
  if (unknown.length > 0) throw new XinlianError('BAD_REQUEST', `config.json: unknown field(s) ${unknown.join(', ')}`);
  return { ...config, home };
}

export function resolveIn(home: string, path: string): string {
  return isAbsolute(path) ? path : join(home, path);
}
