import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NATIVE_STEPS, NATIVE_STEPS_MIN, nativeSteps, type NativeName } from '../../src/natives/index.js';

const NATIVES: NativeName[] = ['hash', 'canonicalJson', 'hashJson', 'validate'];

test('the charges of version 1', () => {
  assert.deepEqual(NATIVE_STEPS, {
    hash: { base: 1_000, perUnit: 1.25 },
    canonicalJson: { base: 1_000, perUnit: 4 },
    hashJson: { base: 1_000, perUnit: 5.25 },
    validate: { base: 1_000, perUnit: 1.25 },
  });
  assert.equal(NATIVE_STEPS_MIN, 1_000);
  assert.equal(nativeSteps('validate', 388), 1_485);
  assert.equal(nativeSteps('hashJson', 65_536), 345_064);
  assert.equal(nativeSteps('hash', 1), 1_002, 'a started step is a step');
  assert.ok(Object.isFrozen(NATIVE_STEPS) && Object.isFrozen(NATIVE_STEPS.hash));
});

test('property: never below the minimum, exact, growing with the argument; hashJson costs canonicalJson and hash together', () => {
  fc.assert(fc.property(fc.constantFrom(...NATIVES), fc.nat({ max: 10_000_000 }), fc.nat({ max: 1_000 }), (native, units, more) => {
    const steps = nativeSteps(native, units);
    assert.ok(Number.isSafeInteger(steps) && steps >= NATIVE_STEPS_MIN);
    assert.equal(steps, NATIVE_STEPS[native].base + Math.ceil(NATIVE_STEPS[native].perUnit * units));
    assert.ok(nativeSteps(native, units + more) >= steps);
    // perUnit in eighths: the product is exact, so every engine rounds it alike.
    assert.ok(Number.isInteger(NATIVE_STEPS[native].perUnit * 8));
  }));
  assert.equal(NATIVE_STEPS.hashJson.perUnit, NATIVE_STEPS.canonicalJson.perUnit + NATIVE_STEPS.hash.perUnit);
});

test('units are a count', () => {
  for (const units of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) assert.throws(() => nativeSteps('hash', units), RangeError, String(units));
});
