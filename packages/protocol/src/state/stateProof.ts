import { XinlianError } from '../errors.js';
import { Reader, decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { STATE_HASH_BYTES, STATE_PATH_BITS } from './stateHash.js';

/**
 * Where the walk down the key's path ends:
 * - `empty`: an empty subtree, so the key is absent;
 * - `leaf`: the key's own leaf, so the key is present (the verifier supplies key and value);
 * - `otherLeaf`: the one leaf of another key whose path shares this prefix, so the key is absent.
 */
export type StateProofTerminal =
  | { readonly kind: 'empty' }
  | { readonly kind: 'leaf' }
  | { readonly kind: 'otherLeaf'; readonly keyHash: Uint8Array; readonly valueHash: Uint8Array };

/** Proof of a key's value or absence under one state root (docs/spec/state.md). */
export interface StateProof {
  /** Sibling hashes from the root down: siblings[i] is the sibling at depth i + 1 of the path. */
  readonly siblings: readonly Uint8Array[];
  readonly terminal: StateProofTerminal;
}

const TERMINAL_KINDS = ['empty', 'leaf', 'otherLeaf'] as const;

export function writeStateProof(writer: Writer, proof: StateProof): void {
  const kind = TERMINAL_KINDS.indexOf(proof.terminal.kind);
  writer.u8(kind);
  if (proof.terminal.kind === 'otherLeaf') {
    writer.fixed(proof.terminal.keyHash, STATE_HASH_BYTES).fixed(proof.terminal.valueHash, STATE_HASH_BYTES);
  }
  if (proof.siblings.length > STATE_PATH_BITS) throw new RangeError('state proof deeper than the path');
  writer.u16(proof.siblings.length);
  for (const sibling of proof.siblings) writer.fixed(sibling, STATE_HASH_BYTES);
}

export function readStateProof(reader: Reader): StateProof {
  const kind = reader.u8('state proof terminal');
  let terminal: StateProofTerminal;
  if (kind === 0) terminal = { kind: 'empty' };
  else if (kind === 1) terminal = { kind: 'leaf' };
  else if (kind === 2) {
    const keyHash = reader.fixed(STATE_HASH_BYTES, 'state proof leaf key hash');
    terminal = { kind: 'otherLeaf', keyHash, valueHash: reader.fixed(STATE_HASH_BYTES, 'state proof leaf value hash') };
  } else {
    throw new XinlianError('DECODE_ERROR', `unknown state proof terminal ${kind}`);
  }
  const depth = reader.u16('state proof depth');
  if (depth > STATE_PATH_BITS) {
    throw new XinlianError('DECODE_ERROR', `state proof depth ${depth} exceeds ${STATE_PATH_BITS}`);
  }
  const siblings: Uint8Array[] = [];
  for (let i = 0; i < depth; i++) siblings.push(reader.fixed(STATE_HASH_BYTES, 'state proof sibling'));
  return { siblings, terminal };
}

export function encodeStateProof(proof: StateProof): Uint8Array {
  const writer = new Writer();
  writeStateProof(writer, proof);
  return writer.finish();
}

/** Strict: any byte string that decodes re-encodes to itself; anything else is a DECODE_ERROR. */
export function decodeStateProof(bytes: Uint8Array): StateProof {
  return decodeAll(bytes, readStateProof, 'state proof');
}
