import { fromUtf8, toHex } from '@xinlian/protocol';

/** Contracts whose code is kept decoded; a contract is at most 256 KiB, so this stays under 16 MiB. */
const CODES_MAX = 64;

/**
 * Deployed code by its hash, decoded once: code under a hash never changes, so a cached entry is
 * always right, and a call does not read and decode up to 256 KiB from the state each time.
 */
export class ContractCodeCache {
  private readonly codes = new Map<string, string>();

  get(codeHash: Uint8Array, load: () => Uint8Array | undefined): string | undefined {
    const id = toHex(codeHash);
    const cached = this.codes.get(id);
    if (cached !== undefined) {
      // Most recently used last, so the first entry is the one to evict.
      this.codes.delete(id);
      this.codes.set(id, cached);
      return cached;
    }
    const bytes = load();
    if (bytes === undefined) return undefined;
    const code = fromUtf8(bytes);
    this.codes.set(id, code);
    if (this.codes.size > CODES_MAX) this.codes.delete(this.codes.keys().next().value!);
    return code;
  }
}
