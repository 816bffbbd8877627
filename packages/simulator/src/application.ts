import { pureSuite, utf8, fromUtf8 } from '@xinlian/protocol';
import type { ConsensusValue } from '@xinlian/consensus';
import { encodeChange, parseChange, type ValidatorChange, type ValidatorHistory } from './validatorSets.js';

const sha256 = pureSuite('intl').hash;

/**
 * The application stub. A block names its height, proposer and the instance that built it, so
 * twins (two instances of one validator) naturally propose different blocks, and may carry one
 * validator-set change (validatorSets.ts); an "invalid" block is one that validation rejects.
 */
export function buildValue(height: number, round: number, key: number, instance: number, change: ValidatorChange | undefined, invalid: boolean): ConsensusValue {
  const changeText = change === undefined ? '' : ` change=${encodeChange(change)}`;
  const bytes = utf8(`block h=${height} r=${round} proposer=${key} instance=${instance}${changeText}${invalid ? ' invalid' : ''}`);
  return { blockHash: sha256(bytes), bytes };
}

/**
 * valid(v) of a block proposed at `height`, judged against the chain below it (`history` has
 * committed at least height - 1): the right height, not marked invalid, and a change, if any, that
 * the rules allow on this chain.
 */
export function isValidValue(height: number, value: ConsensusValue, history: ValidatorHistory): boolean {
  return invalidReason(height, value, history) === undefined;
}

export function invalidReason(height: number, value: ConsensusValue, history: ValidatorHistory): string | undefined {
  const text = fromUtf8(value.bytes);
  if (!text.startsWith(`block h=${height} `)) return `not a block of height ${height}`;
  if (text.endsWith(' invalid')) return 'marked invalid';
  if (!hashMatches(value)) return 'hash mismatch';
  const change = parseChange(text);
  if (change === 'malformed') return 'malformed change';
  if (change === undefined) return undefined;
  const error = history.changeErrorAt(height, change);
  return error === undefined ? undefined : `change ${encodeChange(change)} refused: ${error}`;
}

/** The driver's structural check before a proposal reaches the machine: the value has this id. */
export function hashMatches(value: ConsensusValue): boolean {
  // Gossip delivers the same value object many times: hash each one once.
  let hash = hashes.get(value.bytes);
  if (hash === undefined) {
    hash = sha256(value.bytes);
    hashes.set(value.bytes, hash);
  }
  return hash.length === value.blockHash.length && hash.every((b, i) => b === value.blockHash[i]);
}

const hashes = new WeakMap<Uint8Array, Uint8Array>();
