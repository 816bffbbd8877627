import { fromUtf8 } from '@xinlian/protocol';
import type { ContractOutcome } from '@xinlian/contracts/sandbox';
import type { StateReader } from '../execution/application.js';
import type { ContractRunner } from '../execution/contracts/contractHandler.js';
import type { StateTree } from '../state/stateTree.js';
import { stateReaderOf } from './blockExecutor.js';

/** Keys a query reads at most before its read list is cut (the result is still exact). */
const READS_LISTED_MAX = 1000;

export interface ContractQuery {
  contract: string;
  op: string;
  args: unknown;
  caller: { org: string; name: string; role: string };
  /** The latest block, whose state the query reads. */
  height: number;
  timeMs: number;
}

export interface ContractQueryAnswer {
  outcome: ContractOutcome;
  /** The contract-state keys (c/...) the call read, at most READS_LISTED_MAX. */
  reads: string[];
  /** Time the evaluation took where it ran (for the query budget). */
  elapsedMs: number;
}

/** Runs contract queries (ADR 010): on the caller's thread (InlineQueries) or a worker's (ADR 014). */
export interface ContractQueries {
  query(query: ContractQuery): Promise<ContractQueryAnswer>;
}

/**
 * A query on the latest committed state, recording the contract keys it reads so that the
 * answer's entries can be proven.
 */
export class InlineQueries implements ContractQueries {
  constructor(
    private readonly state: StateTree,
    private readonly runner: ContractRunner,
    private readonly hash: (data: Uint8Array) => Uint8Array,
    private readonly nowMs: () => number,
    private readonly refresh?: () => void,
  ) {}

  queryNow({ contract, op, args, caller, height, timeMs }: ContractQuery): ContractQueryAnswer {
    const startMs = this.nowMs();
    this.refresh?.();
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
    const block = { chainId: '', height, timeMs, hash: this.hash };
    const outcome = this.runner.run(recording, block, { contract, operation: op, args, caller, txId: '00'.repeat(32), submitted: false });
    return { outcome, reads: [...reads], elapsedMs: this.nowMs() - startMs };
  }

  async query(query: ContractQuery): Promise<ContractQueryAnswer> {
    return this.queryNow(query);
  }
}
