// The one error a native function of the contract API throws for a bad argument. The sandbox
// turns it into an exception inside the contract, as it does for the host's other refusals, so a
// contract can catch it; its message is part of the protocol (the same on every node).

/** A native function refused its argument: the value has no answer under this version's rules. */
export class NativeRefusal extends Error {
  override readonly name = 'NativeRefusal';
}

/**
 * The deepest nesting of arrays and objects a native function takes: the sandbox's own bound on
 * values that cross into or out of it (VALUE_DEPTH_MAX), so a value a contract can pass is never
 * refused for its depth. Walks stay far from the host's stack limit, whose depth differs by host.
 */
export const NATIVE_DEPTH_MAX = 64;
