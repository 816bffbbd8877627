import { contractStateKey, LIMITS, utf8, type TxEvent } from '@xinlian/protocol';
import type { ContractFailureCode, ContractOutcome } from './contractSandbox.js';

/** The event that carries a submitted operation's return value in its tx result (ADR 010). */
export const CONTRACT_RESULT_EVENT = 'contract.result';

export type TxOutcome =
  | { ok: true; writes: Array<{ key: Uint8Array; value: Uint8Array | null }>; events: TxEvent[] }
  | { ok: false; code: ContractFailureCode; message: string; reason?: string };

/**
 * A sandbox outcome as the ledger keeps it for a submitted call: state keys under c/<contract>/,
 * the contract's events with its name first, and the result as the last event, all within the
 * limits of a tx result (docs/spec/contracts.md). The node and the in-memory test ledger both use
 * it, so a contract's tests meet the limits the chain enforces.
 */
export function txOutcome(outcome: ContractOutcome): TxOutcome {
  if (!outcome.ok) {
    const failed = { ok: false as const, code: outcome.code, message: clip(outcome.message, LIMITS.resultMessageBytesMax) };
    return outcome.reason === undefined ? failed : { ...failed, reason: outcome.reason };
  }
  const fail = (message: string): TxOutcome => ({ ok: false, code: 'CONTRACT_FAILED', message });
  const writes = [];
  for (const write of outcome.writes) {
    const key = contractStateKey(write.contract, write.key);
    if (key.length > LIMITS.stateKeyBytesMax) return fail(`state key of ${key.length} bytes exceeds ${LIMITS.stateKeyBytesMax}`);
    writes.push({ key, value: write.value === null ? null : utf8(write.value) });
  }
  const events: TxEvent[] = [];
  if (outcome.events.length + 1 > LIMITS.eventsPerTxMax) return fail(`more than ${LIMITS.eventsPerTxMax - 1} events in one tx`);
  for (const event of outcome.events) {
    const attributes: Array<[string, string]> = [['contract', event.contract], ...Object.entries(event.attributes)];
    if (attributes.length > LIMITS.eventAttributesMax) return fail(`event ${clip(event.type, 64)} has more than ${LIMITS.eventAttributesMax - 1} attributes`);
    for (const text of [event.type, ...attributes.flat()]) {
      if (utf8(text).length > LIMITS.eventStringBytesMax) return fail(`event ${clip(event.type, 64)}: a string exceeds ${LIMITS.eventStringBytesMax} bytes`);
    }
    events.push({ type: event.type, attributes });
  }
  // A submitted operation's return value is part of the tx result, so it is bounded like an event
  // string; larger answers are what evaluate (a query) is for.
  const resultJson = JSON.stringify(outcome.result ?? null);
  const resultBytes = utf8(resultJson).length;
  if (resultBytes > LIMITS.eventStringBytesMax) {
    return fail(`the result is ${resultBytes} bytes of JSON, over the ${LIMITS.eventStringBytesMax} a tx result holds: return less, or read it with evaluate`);
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
