import {
  consortiumView, contractStateKey, contractStatePrefix, contractTxType, fromUtf8, parseContractTxType, prefixEnd, toHex, utf8,
} from '@xinlian/protocol';
import { ContractSandbox, txOutcome, type ContractHost, type ContractOutcome } from '@xinlian/contracts/sandbox';
import type { BlockContext, StateReader, TxHandler } from '../application.js';
import { aclRefusal } from '../governance/txAccess.js';
import { ContractCodeCache } from './contractCodeCache.js';

/**
 * Interpreter steps all contract calls of one block may take together (ADR 010): about three
 * seconds of execution here, so a block of endless loops cannot stall the validators. A call that
 * would need more than is left fails with CONTRACT_BLOCK_FULL, and a proposer leaves such txs
 * for the next block (Ledger.propose).
 */
export const BLOCK_CONTRACT_STEPS_MAX = 250_000_000;

/** Steps a query (evaluate) may take: it runs on the node's main thread between blocks. */
export const QUERY_STEPS_MAX = 10_000_000;

export interface ContractCall {
  contract: string;
  operation: string;
  args: unknown;
  caller: { org: string; name: string; role: string };
  txId: string;
  submitted: boolean;
}

/**
 * Runs contract operations (ADR 010) against a StateReader: as the handler of every
 * `c/<contract>/<op>` tx, and as a read-only evaluation for queries. Deterministic: the outcome
 * depends only on the deployed code, the tx and the state the reader shows.
 */
export class ContractRunner {
  private readonly codes = new ContractCodeCache();
  /** Steps left per block execution: every build gets its own BlockContext object. */
  private readonly budgets = new WeakMap<BlockContext, { stepsLeft: number }>();

  constructor(readonly sandbox: ContractSandbox, private readonly blockStepsMax = BLOCK_CONTRACT_STEPS_MAX) {}

  /** The handler of contract call txs; the payload is the arguments as UTF-8 JSON. */
  handler(): TxHandler {
    return (tx, state, block) => {
      const parsed = parseContractTxType(tx.body.type);
      if (parsed === undefined) return { ok: false, code: 'TX_UNKNOWN_TYPE', message: `"${tx.body.type}" names no contract operation (c/<contract>/<operation>)` };
      let args: unknown;
      try {
        args = JSON.parse(fromUtf8(tx.body.payload));
      } catch (error) {
        return { ok: false, code: 'TX_INVALID_PAYLOAD', message: `contract arguments must be UTF-8 JSON: ${(error as Error).message}` };
      }
      let budget = this.budgets.get(block);
      if (budget === undefined) this.budgets.set(block, (budget = { stepsLeft: this.blockStepsMax }));
      const full = { ok: false as const, code: 'CONTRACT_BLOCK_FULL' as const, message: `the block's ${this.blockStepsMax} contract steps are spent: the tx waits for a later block` };
      if (budget.stepsLeft <= 0) return full;
      const perTx = this.sandbox.limits.stepsMax;
      const stepsMax = Math.min(perTx, budget.stepsLeft);
      const outcome = this.run(state, block, {
        contract: parsed.contract, operation: parsed.operation, args, txId: toHex(tx.txId), submitted: true,
        caller: { org: tx.sender.org, name: tx.sender.commonName, role: tx.sender.role },
      }, stepsMax);
      budget.stepsLeft -= outcome.steps;
      // Stopped by what the block had left rather than by its own limit: it may run in a later block.
      if (!outcome.ok && outcome.code === 'CONTRACT_OUT_OF_STEPS' && stepsMax < perTx) return full;
      const out = txOutcome(outcome);
      return out.ok ? out : { ok: false, code: out.code, message: out.message };
    };
  }

  /** Runs one operation; CONTRACT_NOT_FOUND when the contract is not deployed. */
  run(state: StateReader, block: BlockContext, call: ContractCall, stepsMax?: number): ContractOutcome {
    const code = this.codeOf(state, call.contract);
    if (code === undefined) return { ok: false, code: 'CONTRACT_NOT_FOUND', message: `no contract "${call.contract}" is deployed`, steps: 0 };
    const host: ContractHost = {
      get: (contract, key) => {
        const value = state.get(contractStateKey(contract, key));
        return value === undefined ? undefined : fromUtf8(value);
      },
      range: (contract, range, limit) => {
        const prefix = contractStatePrefix(contract);
        const end = range.end === undefined ? prefixEnd(prefix) : contractStateKey(contract, range.end);
        const entries = state.range?.(contractStateKey(contract, range.start), end, limit) ?? [];
        return entries.map(([key, value]) => [fromUtf8(key.subarray(prefix.length)), fromUtf8(value)]);
      },
      history: (contract, key, limit) => (state.history?.(contractStateKey(contract, key), block.height, limit) ?? [])
        .map((change) => ({ height: change.height, txId: toHex(change.txId), value: change.value === null ? null : fromUtf8(change.value) })),
      code: (contract) => this.codeOf(state, contract),
      // Queries write nothing, so only submitted calls meet the operations' tx rules (ADR 008).
      authorize: (contract, op) => {
        if (!call.submitted) return undefined;
        const type = contractTxType(contract, op);
        return aclRefusal(type, consortiumView(state).txAcl(type), call.caller.org, call.caller.role);
      },
      hash: (data) => toHex(block.hash(utf8(data))),
      context: { caller: call.caller, txId: call.txId, height: block.height, timeMs: block.timeMs, submitted: call.submitted },
    };
    return this.sandbox.call(call.contract, code, call.operation, call.args, host, { stepsMax: stepsMax ?? (call.submitted ? undefined : QUERY_STEPS_MAX) });
  }

  private codeOf(state: StateReader, contract: string): string | undefined {
    const view = consortiumView(state);
    const record = view.contract(contract);
    if (record === undefined) return undefined;
    return this.codes.get(record.codeHash, () => view.code(record.codeHash));
  }
}
