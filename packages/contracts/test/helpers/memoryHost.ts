import { createHash } from 'node:crypto';
import { compareKeys, inRange } from '../../src/callOverlay.js';
import type { ContractHost, HostKeyChange } from '../../src/contractSandbox.js';

export interface MemoryHostOptions {
  /** Contract name → key → JSON text. */
  state?: Record<string, Record<string, string>>;
  code?: Record<string, string>;
  history?: Record<string, HostKeyChange[]>;
}

/** A host over plain objects, for sandbox tests: nothing it is given is ever written. */
export function memoryHost(options: MemoryHostOptions = {}): ContractHost {
  const state = options.state ?? {};
  return {
    get: (contract, key) => state[contract]?.[key],
    range: (contract, range, limit) => Object.entries(state[contract] ?? {})
      .filter(([key]) => inRange(key, range)).sort((a, b) => compareKeys(a[0], b[0])).slice(0, limit),
    history: (contract, key, limit) => (options.history?.[`${contract}/${key}`] ?? []).slice(0, limit),
    code: (contract) => options.code?.[contract],
    hash: (data) => createHash('sha256').update(data).digest('hex'),
    context: { caller: { org: 'org1', name: 'client.org1', role: 'client' }, txId: 'ab'.repeat(32), height: 7, timeMs: 1_800_000_000_000, submitted: true },
  };
}
