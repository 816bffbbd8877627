import { utf8 } from '../../bytes.js';
import { DOMAIN, signingDigest } from '../../ledger/signingDigest.js';

/**
 * Signed reads (ADR 008, docs/spec/governance.md "Reading under access rules"): a member proves who
 * reads by signing the request line and a time; a node serves keys under a read rule only to
 * readers the rule allows (or auditors).
 */
export const READ_HEADERS = {
  /** The reader's certificate, base64 DER. */
  cert: 'x-xinlian-cert',
  /** The reader's clock, ms since the Unix epoch, decimal. */
  time: 'x-xinlian-time',
  /** Hex signature over readRequestDigest. */
  signature: 'x-xinlian-signature',
} as const;

/** How far a signed read's time may be from the node's clock (a read may be replayed within it). */
export const READ_CLOCK_SKEW_MS_MAX = 300_000;

/** The digest a reader signs: method, path with its query string, and the time, under the chain id. */
export function readRequestDigest(hash: (data: Uint8Array) => Uint8Array, chainId: string, method: string, pathWithQuery: string, timeMs: number): Uint8Array {
  return signingDigest(hash, DOMAIN.read, chainId, utf8(`${method.toUpperCase()} ${pathWithQuery} ${timeMs}`));
}
