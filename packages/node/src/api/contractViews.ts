import {
  consortiumView, decodeContractRecord, fromUtf8, sysKey, XinlianError,
  type ConsortiumView, type ContractCodeView, type ContractRecord, type ContractVersionView, type ContractView, type EvaluateView,
} from '@xinlian/protocol';
import type { StateReader } from '../execution/application.js';
import type { ContractRunner } from '../execution/contracts/contractHandler.js';
import { stateReaderOf, type Ledger } from '../ledger/ledger.js';
import type { StateTree } from '../state/stateTree.js';
import { hexKey } from '../hexKey.js';
import type { QueryBudget } from './queryBudget.js';

export interface EvaluateCaller {
  org: string;
  name: string;
  role: string;
}

/** Keys a query reads at most before its read list is cut (the result is still exact). */
const READS_LISTED_MAX = 1000;

function versionView(record: ContractRecord): ContractVersionView {
  return {
    version: record.version, codeHash: hexKey(record.codeHash), codeBytes: record.codeBytes, proposalId: hexKey(record.proposalId),
    approvedBy: record.approvedBy, height: record.height,
  };
}

/** Deployed contracts and read-only evaluation of their operations, on the latest state (ADR 010). */
export class ContractReader {
  constructor(
    private readonly state: StateTree,
    private readonly ledger: Ledger,
    private readonly runner: ContractRunner,
    private readonly hash: (data: Uint8Array) => Uint8Array,
    private readonly budget: QueryBudget,
  ) {}

  /** The consortium state after the latest block (the state tree's tip is the ledger's). */
  private view(): ConsortiumView {
    return consortiumView({ get: (key) => this.state.get(key) });
  }

  private record(view: ConsortiumView, name: string): ContractRecord {
    const record = view.contract(name);
    if (record === undefined) throw new XinlianError('CONTRACT_NOT_FOUND', `no contract "${name}" is deployed`);
    return record;
  }

  list(): ContractView[] {
    const view = this.view();
    return view.contractNames().map((name) => {
      const record = view.contract(name)!;
      return { name, deployedHeight: record.deployedHeight, ...versionView(record) };
    });
  }

  get(name: string): ContractView {
    const record = this.record(this.view(), name);
    const versions = this.state.history(sysKey.contract(name), { limit: 1000 })
      .filter((change) => change.value !== undefined)
      .map((change) => versionView(decodeContractRecord(change.value!)));
    return { name, deployedHeight: record.deployedHeight, ...versionView(record), versions };
  }

  code(name: string): ContractCodeView {
    const view = this.view();
    const record = this.record(view, name);
    return { name, version: record.version, codeHash: hexKey(record.codeHash), code: fromUtf8(view.code(record.codeHash)!) };
  }

  /**
   * Runs an operation as a query on the latest state: the same sandbox and limits as a tx, its
   * writes discarded. A failure is thrown with the tx's code (CONTRACT_REJECTED carries the reason).
   */
  evaluate(contract: string, op: string, args: unknown, caller: EvaluateCaller): EvaluateView {
    const height = this.ledger.height;
    if (height === 0) throw new XinlianError('CONTRACT_NOT_FOUND', `no contract "${contract}" is deployed (no block yet)`);
    const reads = new Set<string>();
    const note = (key: Uint8Array): void => {
      if (reads.size < READS_LISTED_MAX) reads.add(fromUtf8(key));
    };
    const base = stateReaderOf(this.state);
    const recording: StateReader = {
      get: (key) => {
        const value = base.get(key);
        if (key[0] === 0x63 && key[1] === 0x2f) note(key); // 'c/': contract state, not sys/ records
        return value;
      },
      range: (start, end, limit) => {
        const entries = base.range!(start, end, limit);
        for (const [key] of entries) note(key);
        return entries;
      },
      history: base.history!,
    };
    const block = { chainId: '', height, timeMs: this.ledger.latestTimeMs, hash: this.hash };
    const outcome = this.budget.run(() => this.runner.run(recording, block, { contract, operation: op, args, caller, txId: '00'.repeat(32), submitted: false }));
    if (!outcome.ok) {
      const reason = 'reason' in outcome ? outcome.reason : undefined;
      throw new XinlianError(outcome.code, outcome.message, { contract, op, ...(reason === undefined ? {} : { reason }) });
    }
    return { contract, op, height, result: outcome.result, steps: outcome.steps, reads: [...reads] };
  }
}
