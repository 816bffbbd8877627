import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { LIMITS } from '../limits.js';

export interface TxEvent {
  type: string;
  attributes: Array<[key: string, value: string]>;
}

/**
 * The outcome of executing one tx. Failed txs are still in the block (they were ordered), with
 * `code` naming the failure and no state writes.
 */
export interface TxResult {
  txId: Uint8Array;
  /** "OK" or a stable error code such as EVIDENCE_ALREADY_DEPOSITED. */
  code: string;
  message: string;
  events: TxEvent[];
}

const S = LIMITS.eventStringBytesMax;

export function encodeTxResult(result: TxResult): Uint8Array {
  return new Writer()
    .fixed(result.txId, LIMITS.hashBytes)
    .string(result.code)
    .string(result.message)
    .list(result.events, (w, event) =>
      w.string(event.type).list(event.attributes, (x, [key, value]) => x.string(key).string(value)))
    .finish();
}

export function decodeTxResult(bytes: Uint8Array): TxResult {
  return decodeAll(
    bytes,
    (r) => ({
      txId: r.fixed(LIMITS.hashBytes, 'txId'),
      code: r.string(64, 'code'),
      message: r.string(LIMITS.resultMessageBytesMax, 'message'),
      events: r.list(LIMITS.eventsPerTxMax, (x) => ({
        type: x.string(S, 'event type'),
        attributes: x.list(LIMITS.eventAttributesMax, (y) => [y.string(S, 'key'), y.string(S, 'value')] as [string, string], 'attributes'),
      }), 'events'),
    }),
    'tx result',
  );
}
