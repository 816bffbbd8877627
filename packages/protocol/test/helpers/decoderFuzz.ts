import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { LIMITS, NIL_BLOCK_HASH, toHex, XinlianError, type SignedProposal, type SignedVote } from '../../src/index.js';

// Shared by the decoder property tests of protocol, consensus and node (those two load the build of
// this file, packages/protocol/dist/test/helpers/decoderFuzz.js, as they depend on protocol).

/**
 * Runs a property with a fixed seed, so a run is reproducible, and reports the seed as a test
 * diagnostic. XINLIAN_FUZZ_SEED and XINLIAN_FUZZ_RUNS replay a failure or explore further; on a
 * failure fast-check's message also carries the seed and the shrink path.
 */
export function checkProperty<Ts>(t: TestContext, property: fc.IProperty<Ts>, options: { seed: number; numRuns: number }): void {
  const seed = integerFromEnvironment('XINLIAN_FUZZ_SEED') ?? options.seed;
  const numRuns = integerFromEnvironment('XINLIAN_FUZZ_RUNS') ?? options.numRuns;
  t.diagnostic(`fast-check seed ${seed}, ${numRuns} runs (replay with XINLIAN_FUZZ_SEED=${seed})`);
  fc.assert(property, { seed, numRuns });
}

function integerFromEnvironment(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

export type Outcome = 'decoded' | 'rejected';

/**
 * The contract of every decoder of peer or disk input: it either returns a value whose encoding is
 * exactly the input (one encoding per value), or throws a XinlianError DECODE_ERROR, never anything
 * else. It does not write to its input, and the value it returns owns its bytes: the p2p layer
 * reuses its receive buffers, so a value that aliased them would change under the node's feet.
 */
export function decodeCanonicallyOrReject<T>(input: Uint8Array, decode: (bytes: Uint8Array) => T, encode: (value: T) => Uint8Array): Outcome {
  const original = input.slice();
  let value: T;
  try {
    value = decode(input);
  } catch (error) {
    assert.ok(error instanceof XinlianError, `expected a XinlianError, got ${describe(error)}`);
    assert.equal(error.code, 'DECODE_ERROR', error.message);
    assert.equal(toHex(input), toHex(original), 'the decoder wrote to its input');
    return 'rejected';
  }
  assert.equal(toHex(input), toHex(original), 'the decoder wrote to its input');
  assert.equal(toHex(encode(value)), toHex(original), 'a decoded value must re-encode to exactly its input');
  for (let i = 0; i < input.length; i++) input[i]! ^= 0xff;
  assert.equal(toHex(encode(value)), toHex(original), 'the decoded value shares memory with its input');
  return 'decoded';
}

/** Asserts that `decode` throws a XinlianError with `code` (the stable part of an error). */
export function assertRejects(decode: () => unknown, code: 'DECODE_ERROR' | 'STORAGE_ERROR', why: string): void {
  assert.throws(decode, (error: unknown) => {
    assert.ok(error instanceof XinlianError, `${why}: expected a XinlianError, got ${describe(error)}`);
    assert.equal(error.code, code, `${why}: ${error.message}`);
    return true;
  }, why);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

/** Damage a peer or a disk may do to a valid encoding. Positions wrap around the input's length. */
export type Mutation =
  | { kind: 'setByte'; at: number; byte: number }
  | { kind: 'flipBit'; at: number; bit: number }
  /** Overwrites 4 bytes with a chosen big-endian u32: this is how a length or a count goes wrong. */
  | { kind: 'setU32'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; tail: Uint8Array };

/** `limits` are the decoder's bounds; the u32 mutations try them and their neighbours. */
export function mutationArbitrary(limits: readonly number[] = []): fc.Arbitrary<Mutation> {
  const edges = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, ...limits.flatMap((limit) => [limit - 1, limit, limit + 1])]
    .filter((value) => value >= 0 && value <= 0xffffffff);
  const position = fc.nat();
  return fc.oneof(
    fc.record({ kind: fc.constant('setByte' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('flipBit' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('setU32' as const), at: position, value: fc.oneof(fc.constantFrom(...edges), fc.integer({ min: 0, max: 0xffffffff })) }),
    fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: position }),
    fc.record({ kind: fc.constant('extend' as const), tail: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  );
}

/** A new array: `bytes` with the mutation applied (possibly the same bytes, e.g. a byte set to itself). */
export function applyMutation(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  const length = bytes.length;
  switch (mutation.kind) {
    case 'setByte': case 'flipBit': case 'setU32': {
      const out = bytes.slice();
      if (length === 0) return out;
      const at = mutation.at % length;
      if (mutation.kind === 'setByte') out[at] = mutation.byte;
      else if (mutation.kind === 'flipBit') out[at]! ^= 1 << mutation.bit;
      else for (let i = 0; i < 4 && at + i < length; i++) out[at + i] = (mutation.value >>> (24 - 8 * i)) & 0xff;
      return out;
    }
    case 'insert': {
      const at = mutation.at % (length + 1);
      return Uint8Array.from([...bytes.subarray(0, at), ...mutation.bytes, ...bytes.subarray(at)]);
    }
    case 'delete': {
      const at = length === 0 ? 0 : mutation.at % length;
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + mutation.count)]);
    }
    case 'truncate': return bytes.slice(0, length === 0 ? 0 : mutation.at % length);
    case 'extend': return Uint8Array.from([...bytes, ...mutation.tail]);
  }
}

/** Counts outcomes so a test can insist that both were reached (a property that never decodes proves little). */
export class OutcomeCounter {
  decoded = 0;
  rejected = 0;

  add(outcome: Outcome): void {
    this[outcome]++;
  }

  assertBothAtLeast(minimum: number, what: string): void {
    assert.ok(this.decoded >= minimum && this.rejected >= minimum, `${what}: only ${this.decoded} decoded and ${this.rejected} rejected inputs`);
  }
}

// Arbitraries of the consensus messages (docs/spec/consensus.md); records without a null prototype,
// so that deepEqual compares them with what the decoders build.
export const hashArbitrary = fc.uint8Array({ minLength: LIMITS.hashBytes, maxLength: LIMITS.hashBytes });
export const heightArbitrary = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat());
export const roundArbitrary = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 0xffffffff }));
export const signatureArbitrary = fc.uint8Array({ maxLength: LIMITS.signatureBytesMax });

export const signedProposalArbitrary: fc.Arbitrary<SignedProposal> = fc
  .tuple(heightArbitrary, roundArbitrary, hashArbitrary, signatureArbitrary, fc.nat())
  .map(([height, round, blockHash, signature, choice]) => ({
    // polRound is -1 or below round: the only proposals that have an encoding.
    proposal: { height, round, polRound: (choice % (round + 1)) - 1, blockHash },
    signature,
  }));

export const signedVoteArbitrary: fc.Arbitrary<SignedVote> = fc.record({
  vote: fc.record({
    type: fc.constantFrom(1 as const, 2 as const),
    height: heightArbitrary,
    round: roundArbitrary,
    blockHash: fc.oneof(hashArbitrary, fc.constant(NIL_BLOCK_HASH)),
  }, { noNullPrototype: true }),
  validatorIndex: fc.integer({ min: 0, max: LIMITS.validatorsMax - 1 }),
  signature: signatureArbitrary,
}, { noNullPrototype: true });

/**
 * The property suite every codec of peer or state input gets: round trip, mutated encodings decode
 * canonically or are a DECODE_ERROR (both outcomes seen at least `minimumOutcomes` times), no prefix
 * and no extension decodes, random bytes decode canonically or are a DECODE_ERROR.
 */
export function codecProperties<T>(
  name: string, seed: number, arbitrary: fc.Arbitrary<T>, encode: (value: T) => Uint8Array, decode: (bytes: Uint8Array) => T,
  options: { limits: readonly number[]; minimumOutcomes?: number },
): void {
  test(`${name}: decode(encode(x)) equals x`, (t) => {
    checkProperty(t, fc.property(arbitrary, (value) => assert.deepEqual(decode(encode(value)), value)), { seed, numRuns: 300 });
  });

  test(`${name}: a mutated encoding decodes to a value that re-encodes to it, or is a DECODE_ERROR`, (t) => {
    const outcomes = new OutcomeCounter();
    checkProperty(t, fc.property(arbitrary, mutationArbitrary(options.limits), (value, mutation) => {
      outcomes.add(decodeCanonicallyOrReject(applyMutation(encode(value), mutation), decode, encode));
    }), { seed: seed + 1, numRuns: 1000 });
    outcomes.assertBothAtLeast(options.minimumOutcomes ?? 50, name);
  });

  test(`${name}: no strict prefix and no extension of an encoding decodes`, (t) => {
    checkProperty(t, fc.property(arbitrary, fc.uint8Array({ minLength: 1, maxLength: 8 }), (value, tail) => {
      const bytes = encode(value);
      for (let cut = 0; cut < bytes.length; cut++) assertRejects(() => decode(bytes.subarray(0, cut)), 'DECODE_ERROR', `prefix of ${cut} bytes`);
      assertRejects(() => decode(Uint8Array.from([...bytes, ...tail])), 'DECODE_ERROR', 'trailing bytes');
    }), { seed: seed + 2, numRuns: 100 });
  });

  test(`${name}: random bytes decode canonically or are a DECODE_ERROR`, (t) => {
    checkProperty(t, fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      decodeCanonicallyOrReject(bytes, decode, encode);
    }), { seed: seed + 3, numRuns: 500 });
  });
}
