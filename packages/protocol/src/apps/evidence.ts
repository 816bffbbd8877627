import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { toHex, utf8 } from '../bytes.js';
import { LIMITS } from '../limits.js';

/** Built-in evidence deposit (存证): prove that a document with this hash existed at block time. */
export const EVIDENCE_DEPOSIT_TYPE = 'evidence.deposit';
export const EVIDENCE_TITLE_BYTES_MAX = 256;

export interface EvidenceDeposit {
  /** The document's hash in the chain's suite (SM3 or SHA-256), computed by the depositor. */
  hash: Uint8Array;
  title: string;
}

/** What the ledger keeps under evidenceKey(hash): the first deposit of a document. */
export interface EvidenceRecord {
  hash: Uint8Array;
  title: string;
  depositorOrg: string;
  depositorName: string;
  txId: Uint8Array;
  height: number;
  timeMs: number;
}

export function encodeEvidenceDeposit(deposit: EvidenceDeposit): Uint8Array {
  return new Writer().fixed(deposit.hash, LIMITS.hashBytes).string(deposit.title).finish();
}

export function decodeEvidenceDeposit(bytes: Uint8Array): EvidenceDeposit {
  return decodeAll(
    bytes,
    (r) => ({ hash: r.fixed(LIMITS.hashBytes, 'hash'), title: r.string(EVIDENCE_TITLE_BYTES_MAX, 'title') }),
    'evidence deposit',
  );
}

export function encodeEvidenceRecord(record: EvidenceRecord): Uint8Array {
  return new Writer()
    .fixed(record.hash, LIMITS.hashBytes)
    .string(record.title)
    .string(record.depositorOrg)
    .string(record.depositorName)
    .fixed(record.txId, LIMITS.hashBytes)
    .u64(record.height)
    .u64(record.timeMs)
    .finish();
}

export function decodeEvidenceRecord(bytes: Uint8Array): EvidenceRecord {
  return decodeAll(
    bytes,
    (r) => ({
      hash: r.fixed(LIMITS.hashBytes, 'hash'),
      title: r.string(EVIDENCE_TITLE_BYTES_MAX, 'title'),
      depositorOrg: r.string(256, 'depositorOrg'),
      depositorName: r.string(256, 'depositorName'),
      txId: r.fixed(LIMITS.hashBytes, 'txId'),
      height: r.u64('height'),
      timeMs: r.u64('timeMs'),
    }),
    'evidence record',
  );
}

export function evidenceKey(hash: Uint8Array): Uint8Array {
  return utf8(`evidence/${toHex(hash)}`);
}
