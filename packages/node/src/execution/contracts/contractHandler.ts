import {
  consortiumView, contractStateKey, contractStatePrefix, fromUtf8, LIMITS, parseContractTxType, toHex, utf8,
  type TxEvent,
} from '@xinlian/protocol';
import { ContractSandbox, type ContractHost, type ContractOutcome } from '@xinlian/contracts/sandbox';
import type { AdmittedTx, BlockContext, HandlerOutcome, StateReader, TxHandler } from '../application.js';
import { ContractCodeCache } from './contractCodeCache.js';

/** The event that carries a submitted operation's return value in its tx result. */
export const CONTRACT_RESULT_EVENT = 'contract.result';

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

  constructor(readonly sandbox: ContractSandbox) {}

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
      const outcome = this.run(state, block, {
        contract: parsed.contract, operation: parsed.operation, args, txId: toHex(tx.txId), submitted: true,
        caller: { org: tx.sender.org, name: tx.sender.commonName, role: tx.sender.role },
      });
      return toHandlerOutcome(outcome, tx);
    };
  }

  /** Runs one operation; CONTRACT_NOT_FOUND when the contract is not deployed. */
  run(state: StateReader, block: BlockContext, call: ContractCall): ContractOutcome | { ok: false; code: 'CONTRACT_NOT_FOUND'; message: string; steps: 0 } {
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
      hash: (data) => toHex(block.hash(utf8(data))),
      context: { caller: call.caller, txId: call.txId, height: block.height, timeMs: block.timeMs, submitted: call.submitted },
    };
    return this.sandbox.call(call.contract, code, call.operation, call.args, host);
  }

  private codeOf(state: StateReader, contract: string): string | undefined {
    const view = consortiumView(state);
    const record = view.contract(contract);
    if (record === undefined) return undefined;
    return this.codes.get(record.codeHash, () => view.code(record.codeHash));
  }
}

/** A sandbox outcome as a tx's: state keys and events within the ledger's limits, the result as an event. */
function toHandlerOutcome(outcome: ReturnType<ContractRunner['run']>, tx: AdmittedTx): HandlerOutcome {
  if (!outcome.ok) return { ok: false, code: outcome.code, message: clip(outcome.message, LIMITS.resultMessageBytesMax) };
  const fail = (message: string): HandlerOutcome => ({ ok: false, code: 'CONTRACT_FAILED', message });
  const writes = [];
  for (const write of outcome.writes) {
    const key = contractStateKey(write.contract, write.key);
    if (key.length > LIMITS.stateKeyBytesMax) return fail(`state key of ${key.length} bytes exceeds ${LIMITS.stateKeyBytesMax}`);
    writes.push({ key, value: write.value === null ? null : utf8(write.value) });
  }
  const resultJson = JSON.stringify(outcome.result ?? null);
  const events: TxEvent[] = [];
  if (outcome.events.length + 1 > LIMITS.eventsPerTxMax) return fail(`more than ${LIMITS.eventsPerTxMax - 1} events in one tx`);
  for (const event of outcome.events) {
    const attributes: Array<[string, string]> = [['contract', event.contract], ...Object.entries(event.attributes)];
    if (attributes.length > LIMITS.eventAttributesMax) return fail(`event ${event.type} has more than ${LIMITS.eventAttributesMax - 1} attributes`);
    for (const text of [event.type, ...attributes.flat()]) {
      if (utf8(text).length > LIMITS.eventStringBytesMax) return fail(`event ${clip(event.type, 64)}: a string exceeds ${LIMITS.eventStringBytesMax} bytes`);
    }
    events.push({ type: event.type, attributes });
  }
  // A submitted operation's return value is part of the tx result, so it is bounded like an event
  // string; larger answers are what evaluate (a query) is for.
  if (utf8(resultJson).length > LIMITS.eventStringBytesMax) {
    return fail(`the result of ${tx.body.type} is ${utf8(resultJson).length} bytes of JSON, over the ${LIMITS.eventStringBytesMax} a tx result holds: return less, or read it with evaluate`);
  }
  events.push({ type: CONTRACT_RESULT_EVENT, attributes: [['value', resultJson], ['steps', String(outcome.steps)]] });
  return { ok: true, writes, events };
}

/** At most `bytesMax` bytes of UTF-8, cut at a character boundary. */
function clip(text: string, bytesMax: number): string {
  if (utf8(text).length <= bytesMax) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = utf8(char).length;
    if (bytes + size > bytesMax - 3) break;
    out += char;
    bytes += size;
  }
  return `${out}…`;
}

function prefixEnd(prefix: Uint8Array): Uint8Array {
  // Contract prefixes end in '/', so adding one to the last byte is the end of the range.
  const end = prefix.slice();
  end[end.length - 1]! += 1;
  return end;
}
