// Test support, not part of the contract: the in-memory test ledger runs the sandbox's limits but
// not the node's limits on a tx result (packages/node contractHandler, protocol LIMITS). This wraps
// a test ledger so that every successful submitted call is also checked against those: at most
// 63 events besides contract.result, event strings and the result's JSON at most 1,024 bytes, and
// state keys (under c/<contract>/) at most 1,024 bytes.
import assert from 'node:assert/strict';
import type { ContractLedger } from '@xinlian/contracts/testing';

const EVENTS_MAX = 63;
const STRING_BYTES_MAX = 1024;
const KEY_BYTES_MAX = 1024;

export function withNodeLimits(ledger: ContractLedger): ContractLedger {
  const call: ContractLedger['call'] = async (op, args, caller) => {
    const outcome = await ledger.call(op, args, caller);
    if (!outcome.ok) return outcome;
    assert.ok(outcome.events.length <= EVENTS_MAX, `${op}: ${outcome.events.length} events, over the ${EVENTS_MAX} of a tx`);
    for (const event of outcome.events) {
      for (const text of [event.type, 'contract', ledger.name, ...Object.entries(event.attributes).flat()]) {
        assert.ok(Buffer.byteLength(text) <= STRING_BYTES_MAX, `${op}: event ${event.type} has a string of ${Buffer.byteLength(text)} bytes`);
      }
    }
    const resultBytes = Buffer.byteLength(JSON.stringify(outcome.result ?? null));
    assert.ok(resultBytes <= STRING_BYTES_MAX, `${op}: a result of ${resultBytes} bytes does not fit in a tx result`);
    for (const write of outcome.writes) {
      const keyBytes = Buffer.byteLength(`c/${ledger.name}/${write.key}`);
      assert.ok(keyBytes <= KEY_BYTES_MAX, `${op}: a state key of ${keyBytes} bytes`);
    }
    return outcome;
  };
  return Object.create(ledger, { call: { value: call } }) as ContractLedger;
}
