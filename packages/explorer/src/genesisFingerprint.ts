import { genesisToJson, pureSuite, toHex, utf8, type Genesis } from '@xinlian/protocol';

/**
 * The genesis fingerprint the verification pages show: the chain suite's hash (SHA-256 or SM3) of
 * the genesis in its canonical text (genesisToJson). `xinlian init` writes genesis.json in exactly
 * that text, so for such a file it is `sha256sum genesis.json` (intl) or its SM3 hash (gm), and
 * the same whether the genesis came from the node or from a file: two parties compare it by eye.
 */
export function genesisFingerprint(genesis: Genesis): string {
  return toHex(pureSuite(genesis.suite).hash(utf8(genesisToJson(genesis))));
}

/** SHA-256 or SM3: the hash a chain's suite uses for documents. */
export function hashAlgorithmOf(suite: 'gm' | 'intl'): string {
  return suite === 'gm' ? 'SM3' : 'SHA-256';
}
