import {
  decodeEvidenceDeposit, decodeEvidenceRecord, encodeEvidenceRecord, evidenceKey, toHex, XinlianError,
} from '@xinlian/protocol';
import type { TxHandler } from './application.js';

/**
 * evidence.deposit: record the first deposit of a document hash. A second deposit of the same hash
 * fails with EVIDENCE_ALREADY_DEPOSITED and names the original, so the earliest proof stands.
 */
export const evidenceDepositHandler: TxHandler = (tx, state, block) => {
  let deposit;
  try {
    deposit = decodeEvidenceDeposit(tx.body.payload);
  } catch (error) {
    const message = error instanceof XinlianError ? error.message : String(error);
    return { ok: false, code: 'TX_INVALID_PAYLOAD', message };
  }
  const key = evidenceKey(deposit.hash);
  const existing = state.get(key);
  if (existing !== undefined) {
    const original = decodeEvidenceRecord(existing);
    return {
      ok: false,
      code: 'EVIDENCE_ALREADY_DEPOSITED',
      message: `document ${toHex(deposit.hash)} was deposited at height ${original.height} in tx ${toHex(original.txId)}`,
    };
  }
  const record = encodeEvidenceRecord({
    hash: deposit.hash,
    title: deposit.title,
    depositorOrg: tx.sender.org,
    depositorName: tx.sender.commonName,
    txId: tx.txId,
    height: block.height,
    timeMs: block.timeMs,
  });
  return {
    ok: true,
    writes: [{ key, value: record }],
    events: [{ type: 'evidence.deposited', attributes: [['hash', toHex(deposit.hash)], ['title', deposit.title]] }],
  };
};
