import {
  consortiumView, decodeContractRecord, fromUtf8, sysKey, XinlianError,
  type ConsortiumView, type ContractCodeView, type ContractRecord, type ContractVersionView, type ContractView, type EvaluateView,
} from '@xinlian/protocol';
import type { ContractQueries } from '../ledger/contractQuery.js';
import type { Ledger } from '../ledger/ledger.js';
import type { StateTree } from '../state/stateTree.js';
import { hexKey } from '../hexKey.js';
import type { QueryBudget } from './queryBudget.js';

export interface EvaluateCaller {
  org: string;
  name: string;
  role: string;
}

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
    private readonly queries: ContractQueries,
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
   * writes discarded, on the query worker (ADR 014). A failure is thrown with the tx's code
   * (CONTRACT_REJECTED carries the reason).
   */
  async evaluate(contract: string, op: string, args: unknown, caller: EvaluateCaller): Promise<EvaluateView> {
    const height = this.ledger.height;
    if (height === 0) throw new XinlianError('CONTRACT_NOT_FOUND', `no contract "${contract}" is deployed (no block yet)`);
    this.budget.admit();
    const { outcome, reads, elapsedMs } = await this.queries.query({ contract, op, args, caller, height, timeMs: this.ledger.latestTimeMs });
    this.budget.spend(elapsedMs);
    if (!outcome.ok) {
      const reason = 'reason' in outcome ? outcome.reason : undefined;
      throw new XinlianError(outcome.code, outcome.message, { contract, op, ...(reason === undefined ? {} : { reason }) });
    }
    return { contract, op, height, result: outcome.result, steps: outcome.steps, reads };
  }
}
