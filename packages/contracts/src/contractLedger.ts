import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ContractSandbox, type ContractLimits, type ContractOutcome } from './contractSandbox.js';
import { packageContract } from './packageContract.js';

export interface TestCaller {
  org: string;
  role: string;
  name?: string;
}

/**
 * An in-memory ledger for a contract's own tests (`xinlian contract test`): the contract packaged
 * exactly as for the chain and run in the same sandbox, a state that keeps only the writes of
 * successful calls, and a height, time and tx id that advance deterministically per call.
 */
export interface ContractLedger {
  /** The packaged contract's SHA-256 (intl's hash; a gm chain hashes the same bytes with SM3). */
  readonly hash: string;
  call(op: string, args: unknown, caller: TestCaller): Promise<ContractOutcome>;
  get(key: string): unknown;
  /** Every event of successful calls, in order. */
  readonly events: Array<{ height: number; type: string; attributes: Record<string, string> }>;
  readonly height: number;
}

export async function contractLedger(entry: string | URL, options: { limits?: Partial<ContractLimits>; startTimeMs?: number } = {}): Promise<ContractLedger> {
  const path = entry instanceof URL ? fileURLToPath(entry) : entry;
  const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
  const packaged = await packageContract(path, sha256);
  const sandbox = await ContractSandbox.create(options.limits);
  const state = new Map<string, string>();
  const events: ContractLedger['events'] = [];
  let height = 0;
  const startTimeMs = options.startTimeMs ?? 1_800_000_000_000;
  return {
    hash: packaged.hash,
    events,
    get height() {
      return height;
    },
    get: (key) => {
      const value = state.get(key);
      return value === undefined ? undefined : JSON.parse(value);
    },
    async call(op, args, caller) {
      height += 1;
      const txId = createHash('sha256').update(`test tx ${height}`).digest('hex');
      const outcome = await sandbox.call(packaged.code, op, args, {
        get: (key) => state.get(key),
        context: { caller: { org: caller.org, role: caller.role, name: caller.name ?? `${caller.role}.${caller.org}` }, txId, height, timeMs: startTimeMs + height * 1000 },
      });
      if (outcome.ok) {
        for (const write of outcome.writes) {
          if (write.value === null) state.delete(write.key);
          else state.set(write.key, write.value);
        }
        for (const event of outcome.events) events.push({ height, ...event });
      }
      return outcome;
    },
  };
}
