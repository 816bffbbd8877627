import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareKeys, inRange } from './callOverlay.js';
import { ContractSandbox, type ContractLimits, type ContractOutcome, type ContractHost, type HostKeyChange } from './contractSandbox.js';
import { packageContract } from './packageContract.js';
import { txOutcome } from './txOutcome.js';

export interface TestCaller {
  org: string;
  role: string;
  name?: string;
}

export interface ContractLedgerOptions {
  /** Name of the contract under test (default: its directory's name). */
  name?: string;
  /** Other contracts it calls, by name: deployed on the same in-memory ledger. */
  contracts?: Record<string, string | URL>;
  limits?: Partial<ContractLimits>;
  startTimeMs?: number;
  /** The chain suite whose hash api.hash uses: intl (SHA-256, default) or gm (SM3). */
  suite?: 'intl' | 'gm';
}

/**
 * An in-memory ledger for a contract's own tests (`xinlian contract test`): the contract packaged
 * exactly as for the chain and run in the same sandbox, a state that keeps only the writes of
 * successful calls (with each key's history), and a height, time and tx id that advance
 * deterministically per call.
 */
export interface ContractLedger {
  readonly name: string;
  /** The packaged contract's hash in the chosen suite. */
  readonly hash: string;
  /**
   * Submits op as a tx of its own: height advances, and writes and events are kept if it succeeds
   * within the limits of a tx result (at most 63 events, a result of at most 1,024 bytes of JSON).
   */
  call(op: string, args: unknown, caller: TestCaller): Promise<ContractOutcome>;
  /** Calls op of another deployed contract as a tx. */
  callContract(contract: string, op: string, args: unknown, caller: TestCaller): Promise<ContractOutcome>;
  /** Runs op as a query on the latest state: nothing is kept, the height does not advance. */
  evaluate(op: string, args: unknown, caller: TestCaller): Promise<ContractOutcome>;
  /** A key of the contract under test (or of `contract`), as JSON. */
  get(key: string, contract?: string): unknown;
  /** Every event of successful calls, in order. */
  readonly events: Array<{ height: number; contract: string; type: string; attributes: Record<string, string> }>;
  readonly height: number;
}

export async function contractLedger(entry: string | URL, options: ContractLedgerOptions = {}): Promise<ContractLedger> {
  const path = entry instanceof URL ? fileURLToPath(entry) : entry;
  const hashName = options.suite === 'gm' ? 'sm3' : 'sha256';
  const digest = (data: Uint8Array | string) => new Uint8Array(createHash(hashName).update(data).digest());
  const name = options.name ?? basename(dirname(path));
  const code = new Map<string, string>();
  const main = await packageContract(path, digest);
  code.set(name, main.code);
  for (const [other, otherEntry] of Object.entries(options.contracts ?? {})) {
    code.set(other, (await packageContract(otherEntry instanceof URL ? fileURLToPath(otherEntry) : otherEntry, digest)).code);
  }
  const sandbox = await ContractSandbox.create(options.limits);
  const state = new Map<string, Map<string, string>>();
  const history = new Map<string, HostKeyChange[]>();
  const events: ContractLedger['events'] = [];
  let height = 0;
  const startTimeMs = options.startTimeMs ?? 1_800_000_000_000;
  const own = (contract: string) => state.get(contract) ?? new Map<string, string>();
  // Sorted once per contract until its next write, not on every scan.
  const sorted = new Map<string, Array<[string, string]>>();
  const sortedEntries = (contract: string): Array<[string, string]> => {
    let entries = sorted.get(contract);
    if (entries === undefined) sorted.set(contract, (entries = [...own(contract)].sort((a, b) => compareKeys(a[0], b[0]))));
    return entries;
  };

  const run = async (contract: string, op: string, args: unknown, caller: TestCaller, submitted: boolean): Promise<ContractOutcome> => {
    await sandbox.ready();
    const callHeight = height + 1;
    const txId = createHash('sha256').update(`test tx ${callHeight} ${submitted}`).digest('hex');
    const contractCode = code.get(contract);
    if (contractCode === undefined) throw new Error(`no contract "${contract}" in this test ledger`);
    const host: ContractHost = {
      get: (c, key) => own(c).get(key),
      range: (c, range, limit) => sortedEntries(c).filter(([key]) => inRange(key, range)).slice(0, limit),
      history: (c, key, limit) => (history.get(`${c}\u0000${key}`) ?? []).slice(0, limit),
      code: (c) => code.get(c),
      hash: (data) => Buffer.from(digest(data)).toString('hex'),
      context: { caller: { org: caller.org, role: caller.role, name: caller.name ?? `${caller.role}.${caller.org}` }, txId, height: callHeight, timeMs: startTimeMs + callHeight * 1000, submitted },
    };
    let outcome = sandbox.call(contract, contractCode, op, args, host);
    // A submitted call meets the chain's limits on a tx result (events, result size, key size).
    const limited = submitted && outcome.ok ? txOutcome(outcome) : undefined;
    if (limited !== undefined && !limited.ok) outcome = { ok: false, code: limited.code, message: limited.message, steps: outcome.steps };
    if (submitted && outcome.ok) {
      height = callHeight;
      for (const write of outcome.writes) {
        let map = state.get(write.contract);
        if (map === undefined) state.set(write.contract, (map = new Map()));
        sorted.delete(write.contract);
        if (write.value === null) map.delete(write.key);
        else map.set(write.key, write.value);
        const historyKey = `${write.contract}\u0000${write.key}`;
        history.set(historyKey, [{ height, txId, value: write.value }, ...(history.get(historyKey) ?? [])]);
      }
      for (const event of outcome.events) events.push({ height, ...event });
    } else if (submitted) {
      height = callHeight;
    }
    return outcome;
  };

  return {
    name,
    hash: main.hash,
    events,
    get height() {
      return height;
    },
    get: (key, contract = name) => {
      const value = own(contract).get(key);
      return value === undefined ? undefined : JSON.parse(value);
    },
    call: (op, args, caller) => run(name, op, args, caller, true),
    callContract: (contract, op, args, caller) => run(contract, op, args, caller, true),
    evaluate: (op, args, caller) => run(name, op, args, caller, false),
  };
}
