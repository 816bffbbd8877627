import { decodeAll } from '../../codec/reader.js';
import { Writer } from '../../codec/writer.js';
import { LIMITS } from '../../limits.js';
import { GOV_LIMITS } from '../governance/govKind.js';

/** Largest packaged contract: stored on chain, carried by its deploy proposal, loaded per call. */
export const CONTRACT_BYTES_MAX = 256 * 1024;

/**
 * A deployed contract (sys/contract/<name>): the version running now. Its earlier versions are
 * the history of the same key; the code is at sys/code/<codeHash>, and the proposal (with every
 * organisation's vote) at sys/proposal/<proposalId>.
 */
export interface ContractRecord {
  name: string;
  /** 1 for the deployment, +1 per upgrade. */
  version: number;
  /** The chain suite's hash of the code's UTF-8 bytes: what the organisations approved. */
  codeHash: Uint8Array;
  codeBytes: number;
  proposalId: Uint8Array;
  /** The organisations whose yes votes passed the proposal, in vote order. */
  approvedBy: string[];
  /** Height of the first deployment. */
  deployedHeight: number;
  /** Height this version took effect. */
  height: number;
}

// ContractRecord = string name | u32 version | hash codeHash | u32 codeBytes | hash proposalId |
// list<string org> approvedBy | u64 deployedHeight | u64 height
export function encodeContractRecord(record: ContractRecord): Uint8Array {
  return new Writer()
    .string(record.name).u32(record.version).fixed(record.codeHash, LIMITS.hashBytes).u32(record.codeBytes)
    .fixed(record.proposalId, LIMITS.hashBytes).list(record.approvedBy, (w, org) => w.string(org))
    .u64(record.deployedHeight).u64(record.height)
    .finish();
}

export function decodeContractRecord(bytes: Uint8Array): ContractRecord {
  return decodeAll(bytes, (r) => ({
    name: r.string(32, 'contract name'),
    version: r.u32('version'),
    codeHash: r.fixed(LIMITS.hashBytes, 'codeHash'),
    codeBytes: r.u32('codeBytes'),
    proposalId: r.fixed(LIMITS.hashBytes, 'proposalId'),
    approvedBy: r.list(GOV_LIMITS.organisationsMax, (x) => x.string(GOV_LIMITS.orgIdBytesMax, 'org'), 'approvedBy'),
    deployedHeight: r.u64('deployedHeight'),
    height: r.u64('height'),
  }), 'contract record');
}

// ContractIndex (sys/contracts) = list<string name>, in deployment order.
export function encodeContractIndex(names: readonly string[]): Uint8Array {
  return new Writer().list(names, (w, name) => w.string(name)).finish();
}

export function decodeContractIndex(bytes: Uint8Array): string[] {
  return decodeAll(bytes, (r) => r.list(CONTRACTS_MAX, (x) => x.string(32, 'contract name'), 'contracts'), 'contract index');
}

/** Deployed contracts at one time. */
export const CONTRACTS_MAX = 1024;
