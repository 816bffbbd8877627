import {
  decodeAll, LIMITS, readSignedProposal, readSignedVote, Writer, writeSignedProposal, writeSignedVote, XinlianError,
  type Reader,
} from '@xinlian/protocol';
import type { ConsensusValue, WalRecord } from './types.js';

const KIND = { signedProposal: 1, signedVote: 2, locked: 3, valid: 4 } as const;

/** One WAL record as bytes (docs/spec/consensus.md), for a driver that keeps the WAL on disk. */
export function encodeWalRecord(record: WalRecord): Uint8Array {
  const w = new Writer().u8(KIND[record.type]);
  if (record.type === 'signedProposal') return writeSignedProposal(w, record.proposal).bytes(record.value).finish();
  if (record.type === 'signedVote') return writeSignedVote(w, record.vote).finish();
  return writeValue(w.u64(record.height).u32(record.round), record.value).finish();
}

export function decodeWalRecord(bytes: Uint8Array, valueBytesMax: number): WalRecord {
  return decodeAll(
    bytes,
    (r): WalRecord => {
      const kind = r.u8('WAL record kind');
      if (kind === KIND.signedProposal) {
        return { type: 'signedProposal', proposal: readSignedProposal(r), value: r.bytes(valueBytesMax, 'value') };
      }
      if (kind === KIND.signedVote) return { type: 'signedVote', vote: readSignedVote(r) };
      if (kind === KIND.locked || kind === KIND.valid) {
        const height = r.u64('height');
        const round = r.u32('round');
        return { type: kind === KIND.locked ? 'locked' : 'valid', height, round, value: readValue(r, valueBytesMax) };
      }
      throw new XinlianError('DECODE_ERROR', `unknown WAL record kind ${kind}`);
    },
    'WAL record',
  );
}

function writeValue(w: Writer, value: ConsensusValue): Writer {
  return w.fixed(value.blockHash, LIMITS.hashBytes).bytes(value.bytes);
}

function readValue(r: Reader, valueBytesMax: number): ConsensusValue {
  return { blockHash: r.fixed(LIMITS.hashBytes, 'blockHash'), bytes: r.bytes(valueBytesMax, 'value') };
}
