// The traceability application load for `npm run bench -- --app traceability` (docs/performance.md):
// deploys contracts/traceability/contract.ts through governance as `traceability`, and pre-signs
// `c/traceability/recordEvents` calls, each carrying N distinct GS1 EPCIS 2.0 ObjectEvents.
//
// No tx ACL or role set-up is needed: the consortium sets no ACL on c/traceability/* by default
// (no ACL, no restriction), and recordEvents records for any member's client (the demo,
// packages/cli/src/commands/demoTraceability.ts, records as each organisation's client too).
import { createHash } from 'node:crypto';
import { contractTxType } from '@xinlian/protocol';
import { signTx } from '@xinlian/sdk';
import { deployContract } from './deployContract.mjs';

export const CONTRACT_NAME = 'traceability';
const CONTRACT_ENTRY = new URL('../contracts/traceability/contract.ts', import.meta.url).pathname;
/** contracts/traceability/submittedEvents.ts: EVENTS_PER_CALL_MAX. */
export const EVENTS_PER_CALL_MAX = 30;

/** Deploys the traceability contract as `traceability` through governance; its packaged size and code hash. */
export async function deployTraceability(dir, url, genesis) {
  const { bytes, hash } = await deployContract(dir, url, genesis, CONTRACT_NAME, CONTRACT_ENTRY);
  return { bytes, hash };
}

/**
 * Event `index` of the run: the first ObjectEvent of the standard's Example 9.6.1
 * (contracts/traceability/vectors/examples/Example_9.6.1-ObjectEvent.jsonld, a shipment of two
 * serialised trade items on a purchase order), with its own two EPCs, eventID and event time, so
 * that no two events of a run have the same canonical JSON (the contract refuses a repeat).
 * The eventID keeps the example's `ni:///sha-256;…?ver=CBV2.0` form; its digest is of the event's
 * index, not the CBV event hash (which the contract does not use).
 */
export function benchEvent(index, call, baseTimeMs) {
  const serial = (n) => `urn:epc:id:sgtin:0614141.107346.${2 * index + n + 100_000}`;
  const digest = createHash('sha256').update(`xinlian bench event ${index}`).digest('hex');
  return {
    eventID: `ni:///sha-256;${digest}?ver=CBV2.0`,
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    epcList: [serial(0), serial(1)],
    eventTime: new Date(baseTimeMs + index).toISOString(),
    eventTimeZoneOffset: '+00:00',
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
    // One purchase order per call, as an organisation's system sends one shipment's events together.
    bizTransactionList: [{ type: 'po', bizTransaction: `http://transaction.acme.com/po/${call + 1}` }],
  };
}

/** The arguments of call `call` of the run: `{ events }` with `eventsPerCall` distinct bare events. */
export function recordEventsArgs(call, eventsPerCall, baseTimeMs) {
  return { events: Array.from({ length: eventsPerCall }, (_, j) => benchEvent(call * eventsPerCall + j, call, baseTimeMs)) };
}

/** `count` pre-signed recordEvents calls by `identity`, valid until `expiryHeight`: `{ id, encoded }` as driveLoad takes them. */
export async function signRecordEventsCalls(suite, identity, chainId, { count, eventsPerCall, expiryHeight, baseTimeMs = Date.UTC(2026, 11, 7) }) {
  const type = contractTxType(CONTRACT_NAME, 'recordEvents');
  const calls = [];
  for (let call = 0; call < count; call++) {
    const payload = new TextEncoder().encode(JSON.stringify(recordEventsArgs(call, eventsPerCall, baseTimeMs)));
    const tx = await signTx(suite, identity, { chainId, type, payload, expiryHeight });
    calls.push({ id: Buffer.from(tx.txId).toString('hex'), encoded: tx.encoded });
  }
  return calls;
}
