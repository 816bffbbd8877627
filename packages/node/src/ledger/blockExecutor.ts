import { encodeTxResult, merkleRoot, type Genesis, type TxResult } from '@xinlian/protocol';
import { executeBlock } from '../execution/executeBlock.js';
import type { AdmittedTx, BlockContext, StateReader, TxHandler } from '../execution/application.js';
import type { StorageOp } from '../storage/store.js';
import type { StateTree } from '../state/stateTree.js';

/** What a block's execution yields: everything of its header that depends on its txs, and the writes. */
export interface ExecutedBlock {
  results: TxResult[];
  /** How many of the requested txs the block holds (fewer when a proposer's budget ran out). */
  txCount: number;
  /** The canonical TxResult encodings, in block order (stored, and the leaves of resultsRoot). */
  encodedResults: Uint8Array[];
  txRoot: Uint8Array;
  resultsRoot: Uint8Array;
  stateRoot: Uint8Array;
  /** The state tree's writes; committed in the block's batch, never before. */
  stateOps: StorageOp[];
}

export interface ExecutionRequest {
  chainId: string;
  height: number;
  timeMs: number;
  txs: AdmittedTx[];
  /**
   * A proposer's budget: execution stops taking txs once it has run this long (measured where it
   * runs), and the block holds the txs executed so far (ADR 014). Validators never pass one.
   */
  executionMsMax?: number;
}

/**
 * Executes a block on top of the latest committed state without writing anything (ADR 014): on
 * the caller's thread (InlineExecutor) or on a worker thread (WorkerExecutor), with the same code.
 * Requests are answered in order; a request must name the height after the committed one.
 */
export interface BlockExecutor {
  execute(request: ExecutionRequest): Promise<ExecutedBlock>;
  close(): Promise<void>;
}

export interface InlineExecutorOptions {
  genesis: Genesis;
  hash: (data: Uint8Array) => Uint8Array;
  state: StateTree;
  handlers: ReadonlyMap<string, TxHandler>;
  /** Called before each execution: a reader on another thread renews its view of the store here. */
  refresh?: () => void;
}

/** Execution in the calling thread: pure execution, the state tree's update and the roots. */
export class InlineExecutor implements BlockExecutor {
  constructor(private readonly options: InlineExecutorOptions) {}

  executeNow({ chainId, height, timeMs, txs, executionMsMax }: ExecutionRequest): ExecutedBlock {
    const { genesis, hash, state, handlers } = this.options;
    this.options.refresh?.();
    const context: BlockContext = { chainId, height, timeMs, hash };
    const startedMs = performance.now();
    const continueAt = executionMsMax === undefined ? undefined : () => performance.now() - startedMs < executionMsMax;
    // The tip of the state is the previous block's: this block's writes are not committed yet.
    const execution = executeBlock(handlers, stateReaderOf(state), txs, context, { genesis, continueAt });
    const held = txs.slice(0, execution.executedTxs);
    const applied = state.apply(height, execution.changes);
    const encodedResults = execution.results.map(encodeTxResult);
    return {
      results: execution.results, txCount: held.length, encodedResults,
      txRoot: merkleRoot(hash, held.map((tx) => tx.encoded)), resultsRoot: merkleRoot(hash, encodedResults),
      stateRoot: applied.root, stateOps: applied.ops,
    };
  }

  async execute(request: ExecutionRequest): Promise<ExecutedBlock> {
    return this.executeNow(request);
  }

  async close(): Promise<void> {}
}

/** Execution's reader of the latest committed state (the previous block's). */
export function stateReaderOf(state: StateTree): StateReader {
  return {
    get: (key) => state.get(key),
    range: (start, end, limit) => state.range(start, end, limit),
    history: (key, beforeHeight, limit) => state.history(key, { beforeHeight, limit })
      .map((change) => ({ height: change.height, txId: change.txId, value: change.value ?? null })),
  };
}
