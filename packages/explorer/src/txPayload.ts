// A tx's payload in words: the kinds the chain knows are decoded, anything else is shown as hex.
import {
  decodeEvidenceDeposit, decodeGovPropose, decodeGovVote, EVIDENCE_DEPOSIT_TYPE, fromUtf8, GOV_PROPOSE_TYPE, GOV_VOTE_TYPE,
  parseContractTxType, toHex,
} from '@xinlian/protocol';

export interface DecodedPayload {
  /** What kind of payload it is, for a heading. */
  kind: string;
  /** Plain JSON to show (bytes as hex, large byte fields by size). */
  value: unknown;
}

const HEX_SHOWN_BYTES_MAX = 512;

function bytesValue(bytes: Uint8Array): string {
  return bytes.length <= HEX_SHOWN_BYTES_MAX ? toHex(bytes) : `${toHex(bytes.subarray(0, HEX_SHOWN_BYTES_MAX))}… (${bytes.length} bytes)`;
}

/** Byte fields become hex, or a size for code and certificates that would fill the screen. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesValue(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key,
      field instanceof Uint8Array && (key === 'code' || key.endsWith('Der')) ? `${field.length} bytes` : plain(field)]));
  }
  return value;
}

export function decodePayload(type: string, payload: Uint8Array): DecodedPayload {
  try {
    if (type === EVIDENCE_DEPOSIT_TYPE) {
      const deposit = decodeEvidenceDeposit(payload);
      return { kind: 'evidence deposit', value: { hash: toHex(deposit.hash), title: deposit.title } };
    }
    if (type === GOV_PROPOSE_TYPE) return { kind: 'governance proposal', value: plain(decodeGovPropose(payload).change) };
    if (type === GOV_VOTE_TYPE) {
      const vote = decodeGovVote(payload);
      return { kind: 'governance vote', value: { proposalId: toHex(vote.proposalId), approve: vote.approve } };
    }
    const call = parseContractTxType(type);
    if (call !== undefined) return { kind: `contract call ${call.contract}.${call.operation}`, value: { args: JSON.parse(fromUtf8(payload)) as unknown } };
  } catch {
    // Not what its type says: shown raw below.
  }
  return { kind: 'raw bytes', value: bytesValue(payload) };
}
