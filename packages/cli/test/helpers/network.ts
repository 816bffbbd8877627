import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { XinlianClient } from '@xinlian/sdk';
import { runCli } from './processes.js';

/** A free TCP port block: listens on `count` consecutive ports from a random base, or throws. */
export async function freePortBase(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const servers = [];
    let ok = true;
    for (let i = 0; i < count && ok; i++) {
      const server = createServer();
      ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(base + i, '127.0.0.1', () => resolve(true));
      });
      servers.push(server);
    }
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    if (ok) return base;
  }
  throw new Error('no free port block');
}

export function nodeUrl(chain: string, index: number): string {
  return (JSON.parse(readFileSync(join(chain, 'nodes', `node${index}`, 'node.json'), 'utf8')) as { apiUrl: string }).apiUrl;
}

export function client(chain: string, index: number): XinlianClient {
  return new XinlianClient(nodeUrl(chain, index), { requestTimeoutMs: 10_000 });
}

/** Waits until node `index` reports at least `height` (event-driven via the API's wait would need a tx). */
export async function waitForHeight(chain: string, index: number, height: number, deadlineMs = 60_000): Promise<number> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const status = await client(chain, index).status().catch(() => undefined);
    if (status !== undefined && status.height >= height) return status.height;
    if (Date.now() > end) throw new Error(`node${index} did not reach height ${height} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function initNetwork(chain: string, validators: number): Promise<void> {
  const base = await freePortBase(validators);
  const result = await runCli(['init', chain, '--suite', 'intl', '--orgs', '2', '--validators', String(validators), '--api-port-base', '0', '--p2p-port-base', String(base)]);
  if (result.code !== 0) throw new Error(result.stderr);
}
