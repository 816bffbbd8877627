import { concatBytes } from '../bytes.js';
import { Writer } from '../codec/writer.js';

/** Domain tags: each kind of signed object has its own, so no signature can be replayed as another. */
export const DOMAIN = {
  tx: 'xinlian/tx/v1',
  vote: 'xinlian/vote/v1',
  header: 'xinlian/header/v1',
  read: 'xinlian/read/v1',
} as const;

/**
 * H(u32len domain || u32len chainId || bytes). Every signature in the protocol is over such a
 * digest, so each covers a domain tag and the chain id (docs/spec/ledger.md).
 */
export function signingDigest(
  hash: (data: Uint8Array) => Uint8Array,
  domain: string,
  chainId: string,
  bytes: Uint8Array,
): Uint8Array {
  return hash(concatBytes(prefixOf(domain, chainId), bytes));
}

// A node sees one chain id and three domains: caching their encoded prefix saves an encoder per tx.
const PREFIXES_MAX = 64;
const prefixes = new Map<string, Uint8Array>();

function prefixOf(domain: string, chainId: string): Uint8Array {
  const key = `${domain}\u0000${chainId}`;
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = new Writer().string(domain).string(chainId).finish();
    if (prefixes.size >= PREFIXES_MAX) prefixes.clear();
    prefixes.set(key, prefix);
  }
  return prefix;
}
