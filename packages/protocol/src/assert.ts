/**
 * A broken internal invariant. Never caught by operating-error handlers: the node stops
 * (see docs/adr/000-errors-and-invariants.md). Operating errors use XinlianError instead.
 */
export class AssertionFailed extends Error {
  override readonly name = 'AssertionFailed';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailed(message);
}
