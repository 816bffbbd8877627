import { pureSuite, utf8, fromUtf8 } from '@xinlian/protocol';
import type { ConsensusValue } from '@xinlian/consensus';

const sha256 = pureSuite('intl').hash;

/**
 * The application stub. A block names its height, proposer and the instance that built it, so
 * twins (two instances of one validator) naturally propose different blocks; an "invalid" block
 * is one that validation rejects.
 */
export function buildValue(height: number, round: number, validatorIndex: number, instance: number, invalid: boolean): ConsensusValue {
  const bytes = utf8(`block h=${height} r=${round} proposer=${validatorIndex} instance=${instance}${invalid ? ' invalid' : ''}`);
  return { blockHash: sha256(bytes), bytes };
}

export function isValidValue(height: number, value: ConsensusValue): boolean {
  const text = fromUtf8(value.bytes);
  return text.startsWith(`block h=${height} `) && !text.endsWith(' invalid') && hashMatches(value);
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
