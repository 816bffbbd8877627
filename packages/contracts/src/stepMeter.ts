/** QuickJS calls the interrupt handler once per this many interpreter ticks. */
export const STEPS_PER_INTERRUPT = 10_000;

/**
 * Steps every call frame costs before its first tick: restoring the compiled image and crossing
 * into it take about what 5,000 interpreter steps do (docs/spec/contracts.md, "Steps").
 */
export const FRAME_STEPS = 5_000;

/** Steps every host function call costs on top of its own work (crossing the boundary both ways). */
export const HOST_CALL_STEPS = 200;

/**
 * The steps of one tx (all its frames) or of one compilation: interpreter ticks, counted by
 * QuickJS's interrupt handler in units of STEPS_PER_INTERRUPT, plus what the host charges for its
 * own work. Deterministic: ticks come from the interpreter, charges from sizes, never from time.
 */
export class StepMeter {
  private interrupts = 0;
  private charged = 0;

  constructor(readonly stepsMax: number) {}

  get used(): number {
    return this.interrupts * STEPS_PER_INTERRUPT + this.charged;
  }

  get exhausted(): boolean {
    return this.used > this.stepsMax;
  }

  /** The interrupt handler: counts one interrupt and answers whether the interpreter must stop. */
  interrupt(): boolean {
    this.interrupts++;
    return this.exhausted;
  }

  /** Charges host work; false once the budget is spent (the interpreter stops at its next tick). */
  charge(steps: number): boolean {
    this.charged += steps;
    return !this.exhausted;
  }

  /** What an outcome reports: the steps used, at most one interrupt's worth past the limit. */
  reported(): number {
    return Math.min(this.used, this.stepsMax + STEPS_PER_INTERRUPT);
  }
}
