import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initChain, type InitChainOptions } from '../../src/init/initChain.js';

export interface InProcessChain {
  dir: string;
  /** The chain directory (genesis.json, orgs/, nodes/). */
  chain: string;
  /** Validators first, then observers. */
  homes: string[];
  nodeHomes: string[];
  observerHomes: string[];
  remove(): void;
}

/**
 * A chain for nodes run inside the test process (over the in-memory hub): ports chosen by the
 * system, signature checks and block execution on the main thread (no worker threads per node,
 * so these tests cover executionThreads 0; real node processes use the execution worker), quiet logs.
 */
export async function inProcessChain(prefix: string, options: Partial<InitChainOptions> = {}): Promise<InProcessChain> {
  const dir = mkdtempSync(join(tmpdir(), `xinlian-${prefix}-`));
  const chain = join(dir, 'chain');
  const { nodeHomes, observerHomes } = await initChain({ suite: 'intl', orgs: 2, validators: 4, apiPortBase: 0, genesisTimeMs: Date.now(), ...options, dir: chain });
  const homes = [...nodeHomes, ...observerHomes];
  for (const home of homes) {
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(home, 'config.json'), JSON.stringify({ ...config, verifyThreads: 0, executionThreads: 0, logLevel: 'warn' }));
  }
  return { dir, chain, homes, nodeHomes, observerHomes, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
