// The step charge of each native function: base + perUnit × units, counted in the sandbox's
// steps (QuickJS interpreter ticks) like the contract's own work, so that moving work into the
// host makes it cheaper but never free. Calibrated by bench/nativeSteps.mjs at 12 ns a step (the
// sandbox's rate here: a block's 250,000,000 steps take about 3 s) against the slowest case
// measured of each native, so that a call costs at least its host time at that rate. The charge
// is known before the work is done: the caller charges it first and refuses the call when the
// steps left do not cover it. Constants are part of the protocol (CONTRACT_NATIVES_VERSION).

export type NativeName = 'hash' | 'canonicalJson' | 'hashJson' | 'validate';

/**
 * What one call costs: `base` steps, plus `perUnit` steps per unit of its argument, where a unit
 * is a UTF-16 code unit: of the string for hash, and of the value's JSON text as it crosses the
 * sandbox boundary (JSON.stringify in the sandbox) for the others.
 */
export interface NativeCharge {
  readonly base: number;
  readonly perUnit: number;
}

/** No call costs less: a native call is never a free loop body. */
export const NATIVE_STEPS_MIN = 1_000;

/** The host time one step stands for, in ns, on the machine of the calibration. */
export const NANOSECONDS_PER_STEP = 12;

// perUnit values are multiples of 1/8, so base + perUnit × units is exact in doubles. The worst
// cases measured (bench/nativeSteps.mjs, docs/adr/012) are in the comments, in ns and steps a unit.
export const NATIVE_STEPS: Readonly<Record<NativeName, NativeCharge>> = Object.freeze({
  /** Suite hash of UTF-8 text. Worst: CJK text (3 bytes a unit) under SM3, 10-12.5 ns (0.85-1.05). */
  hash: Object.freeze({ base: 1_000, perUnit: 1.25 }),
  /** RFC 8785 text of a value. Worst: an object of 6,500 small members, 31-44 ns (2.6-3.7); an EPCIS event 14-21 ns. */
  canonicalJson: Object.freeze({ base: 1_000, perUnit: 4 }),
  /** canonicalJson then hash: the canonical text is as long as the argument's JSON, so their sum. */
  hashJson: Object.freeze({ base: 1_000, perUnit: 5.25 }),
  /**
   * Validation against a compiled schema, calibrated on the EPCIS 2.0 schema. Worst: an event of
   * 1,800 EPCs, each a URI format check, 11-11.5 ns (0.96); a small invalid value 1.6-1.8 µs in all.
   */
  validate: Object.freeze({ base: 1_000, perUnit: 1.25 }),
});

/** The steps a call of `native` costs for an argument of `units` UTF-16 code units. */
export function nativeSteps(native: NativeName, units: number): number {
  if (!Number.isSafeInteger(units) || units < 0) throw new RangeError(`units must be a non-negative integer, not ${units}`);
  const { base, perUnit } = NATIVE_STEPS[native];
  return Math.max(NATIVE_STEPS_MIN, base + Math.ceil(perUnit * units));
}
