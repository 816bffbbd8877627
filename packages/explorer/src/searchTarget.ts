// What the search box means: a height, a 64-hex hash (a block, a tx or a deposited document, in
// that order), or else a state key.
import { href } from './route.js';

export type SearchTarget =
  | { kind: 'empty' }
  | { kind: 'height'; height: number }
  | { kind: 'hash'; hash: string }
  | { kind: 'key'; key: string };

export function classifySearch(input: string): SearchTarget {
  const text = input.trim();
  if (text === '') return { kind: 'empty' };
  if (/^\d+$/.test(text)) {
    const height = Number(text);
    if (Number.isSafeInteger(height)) return { kind: 'height', height };
  }
  const hex = /^(?:0x)?([0-9a-fA-F]{64})$/.exec(text);
  if (hex !== null) return { kind: 'hash', hash: hex[1]!.toLowerCase() };
  // Keys are exact strings: only the surrounding whitespace a paste brings along is dropped.
  return { kind: 'key', key: text };
}

/** Where a search goes first; a hash goes to the search page, which asks the node what it is. */
export function searchHref(target: SearchTarget): string | undefined {
  switch (target.kind) {
    case 'empty': return undefined;
    case 'height': return href(['blocks', target.height]);
    case 'hash': return href(['search'], { q: target.hash });
    case 'key': return href(['state'], { key: target.key });
  }
}

/** Answers a GET with its JSON, or undefined when the node has no such thing (404). */
export type Lookup = (path: string) => Promise<unknown>;

/** The page a 64-hex hash leads to: its block, its tx, or the tx that deposited a document with that hash. */
export async function resolveHash(hash: string, lookup: Lookup): Promise<string | undefined> {
  const block = await lookup(`/v1/blocks/hash/${hash}`) as { header?: { height?: number } } | undefined;
  if (typeof block?.header?.height === 'number') return href(['blocks', block.header.height]);
  const tx = await lookup(`/v1/txs/${hash}`) as { txId?: string } | undefined;
  if (typeof tx?.txId === 'string') return href(['txs', tx.txId]);
  const evidence = await lookup(`/v1/evidence/${hash}`) as { txId?: string } | undefined;
  if (typeof evidence?.txId === 'string') return href(['txs', evidence.txId]);
  return undefined;
}
