import { mergeRange } from '@xinlian/protocol';

/** A contract's key and its JSON text, as a range scan returns them. */
export type RangeEntry = [key: string, value: string];

export interface KeyRange {
  /** Inclusive lower bound. */
  start: string;
  /** Exclusive upper bound; undefined: no upper bound. */
  end: string | undefined;
}

const encoder = new TextEncoder();

/** Orders keys by their UTF-8 bytes, as the state stores them (JS string order differs past U+FFFF). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(encoder.encode(a), encoder.encode(b));
}

export function inRange(key: string, range: KeyRange): boolean {
  return compareKeys(key, range.start) >= 0 && (range.end === undefined || compareKeys(key, range.end) < 0);
}

/**
 * The writes of one call frame over what it runs on (the state, or its calling frame): reads see
 * them, a range scan merges them, and they reach the frame below only when the call succeeds.
 * Writes are kept per contract, since a call to another contract writes that contract's state.
 */
export class CallOverlay {
  private readonly writes = new Map<string, Map<string, string | null>>();

  constructor(private readonly below: OverlayBase) {}

  get(contract: string, key: string): string | undefined {
    const written = this.writes.get(contract)?.get(key);
    if (written === undefined) return this.below.get(contract, key);
    return written ?? undefined;
  }

  set(contract: string, key: string, value: string | null): void {
    let own = this.writes.get(contract);
    if (own === undefined) this.writes.set(contract, (own = new Map()));
    own.set(key, value);
  }

  has(contract: string, key: string): boolean {
    return this.writes.get(contract)?.has(key) ?? false;
  }

  get size(): number {
    let n = 0;
    for (const own of this.writes.values()) n += own.size;
    return n;
  }

  range(contract: string, range: KeyRange, limit: number): RangeEntry[] {
    const own = [...(this.writes.get(contract) ?? [])].filter(([key]) => inRange(key, range));
    return mergeRange(this.below.range(contract, range, limit + own.length), own, limit, compareKeys, (key) => key);
  }

  /** Hands this frame's writes to the frame below (the call succeeded). */
  commitTo(target: CallOverlay): void {
    for (const [contract, own] of this.writes) for (const [key, value] of own) target.set(contract, key, value);
  }

  entries(): Array<{ contract: string; key: string; value: string | null }> {
    const out: Array<{ contract: string; key: string; value: string | null }> = [];
    for (const [contract, own] of this.writes) for (const [key, value] of own) out.push({ contract, key, value });
    return out;
  }
}

/** What an overlay reads through to. */
export interface OverlayBase {
  get(contract: string, key: string): string | undefined;
  /** At most `limit` entries in range, in key order. */
  range(contract: string, range: KeyRange, limit: number): RangeEntry[];
}
