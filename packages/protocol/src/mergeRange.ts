/**
 * A range scan through a layer of writes (a block's, a contract call's): `own` are the layer's
 * writes inside the range (null deletes the key), `base` the first `limit + own.length` entries
 * below it, in order. That many leave `limit` after the layer's deletions, and no entry beyond
 * the base's window can sort before them. `id` names a key, for matching a write to its entry.
 */
export function mergeRange<K, V>(
  base: ReadonlyArray<readonly [K, V]>,
  own: ReadonlyArray<readonly [K, V | null]>,
  limit: number,
  compare: (a: K, b: K) => number,
  id: (key: K) => string,
): Array<[K, V]> {
  const merged = new Map<string, readonly [K, V | null]>();
  for (const entry of base) merged.set(id(entry[0]), entry);
  for (const entry of own) merged.set(id(entry[0]), entry);
  const entries: Array<[K, V]> = [];
  for (const [key, value] of merged.values()) if (value !== null) entries.push([key, value]);
  entries.sort((a, b) => compare(a[0], b[0]));
  return entries.slice(0, limit);
}
