import { validatorsHashOf, type ValidatorSet } from '@xinlian/protocol';

/** Sets remembered by height: consensus, block building and proofs ask for the same few heights. */
const CACHED_HEIGHTS_MAX = 64;

/**
 * Which validator set decides each height. Genesis's decides until governance changes it
 * (ADR 008): the set for height h follows from the state after block h - 1, which `readAt`
 * gives (undefined: the genesis set). Height 1 is always genesis's.
 */
export class ValidatorSchedule {
  private readonly cache = new Map<number, { set: ValidatorSet; hash: Uint8Array }>();

  constructor(
    private readonly genesisSet: ValidatorSet,
    private readonly hash: (data: Uint8Array) => Uint8Array,
    private readonly readAt: (height: number) => ValidatorSet | undefined = () => undefined,
  ) {}

  at(height: number): ValidatorSet {
    return this.entry(height).set;
  }

  hashAt(height: number): Uint8Array {
    return this.entry(height).hash;
  }

  private entry(height: number): { set: ValidatorSet; hash: Uint8Array } {
    let entry = this.cache.get(height);
    if (entry === undefined) {
      const set = (height > 1 ? this.readAt(height) : undefined) ?? this.genesisSet;
      entry = { set, hash: validatorsHashOf(this.hash, set) };
      this.cache.set(height, entry);
      if (this.cache.size > CACHED_HEIGHTS_MAX) this.cache.delete(this.cache.keys().next().value!);
    }
    return entry;
  }
}
