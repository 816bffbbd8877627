/** The buckets the state uses; open the Store with these (plus the caller's own). */
export const STATE_BUCKETS = {
  /** u64 height || u32 chunk -> node records packed by nodeChunks.ts; never rewritten */
  node: 'state.node',
  /** u64 height -> root hash || root location */
  root: 'state.root',
  /** 0x00 -> u64 latest height || root hash || root location: the tip in one read */
  meta: 'state.meta',
  /** key hash || u64 height || u32 txIndex -> u8 flags || u8 txId length || txId || value */
  history: 'state.history',
  /**
   * key -> value, the latest state of keys under an ordered prefix (ORDERED_KEY_PREFIX): the tree
   * orders keys by their hash, and contracts scan ranges of their own keys.
   */
  ordered: 'state.ordered',
} as const;

/** Keys kept in key order as well (contract state, ADR 010); others pay nothing for it. */
export const ORDERED_KEY_PREFIX = new TextEncoder().encode('c/');
export const STATE_BUCKET_NAMES: readonly string[] = Object.values(STATE_BUCKETS);
