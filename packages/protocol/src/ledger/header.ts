import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { XinlianError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { DOMAIN, signingDigest } from './signingDigest.js';

export const HEADER_VERSION = 1;
const H = LIMITS.hashBytes;

/**
 * A block header. stateRoot and resultsRoot are the state and results after executing this block's
 * txs (docs/adr/005-execute-then-commit.md), so the block's own commit certifies them.
 */
export interface Header {
  version: number;
  chainId: string;
  height: number;
  /** Block time, ms since the Unix epoch; strictly increasing; the only clock execution sees. */
  timeMs: number;
  /** Hash of the previous header; 32 zero bytes at height 1. */
  prevHash: Uint8Array;
  /** RFC 6962 root over the encoded signed txs. */
  txRoot: Uint8Array;
  /** RFC 6962 root over the encoded tx results. */
  resultsRoot: Uint8Array;
  /** Root of the state tree after this block. */
  stateRoot: Uint8Array;
  /** Hash of the encoded validator set that signs this block's commit. */
  validatorsHash: Uint8Array;
  /** Hash of the proposer's public key. */
  proposer: Uint8Array;
  txCount: number;
}

export function encodeHeader(header: Header): Uint8Array {
  return new Writer()
    .u8(header.version)
    .string(header.chainId)
    .u64(header.height)
    .u64(header.timeMs)
    .fixed(header.prevHash, H)
    .fixed(header.txRoot, H)
    .fixed(header.resultsRoot, H)
    .fixed(header.stateRoot, H)
    .fixed(header.validatorsHash, H)
    .fixed(header.proposer, H)
    .u32(header.txCount)
    .finish();
}

export function decodeHeader(bytes: Uint8Array): Header {
  return decodeAll(
    bytes,
    (r) => {
      const version = r.u8('header version');
      if (version !== HEADER_VERSION) {
        throw new XinlianError('DECODE_ERROR', `unsupported header version ${version}`);
      }
      return {
        version,
        chainId: r.string(LIMITS.chainIdBytesMax, 'chainId'),
        height: r.u64('height'),
        timeMs: r.u64('timeMs'),
        prevHash: r.fixed(H, 'prevHash'),
        txRoot: r.fixed(H, 'txRoot'),
        resultsRoot: r.fixed(H, 'resultsRoot'),
        stateRoot: r.fixed(H, 'stateRoot'),
        validatorsHash: r.fixed(H, 'validatorsHash'),
        proposer: r.fixed(H, 'proposer'),
        txCount: r.u32('txCount'),
      };
    },
    'header',
  );
}

/** The block hash is the signing digest of the encoded header (domain xinlian/header/v1). */
export function blockHashOf(hash: (data: Uint8Array) => Uint8Array, header: Header): Uint8Array {
  return signingDigest(hash, DOMAIN.header, header.chainId, encodeHeader(header));
}
