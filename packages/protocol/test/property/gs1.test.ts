import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gs1CheckDigit, normaliseGtin } from '../../src/index.js';

// The GS1 mod-10 check digit catches every single wrong digit (weights 1 and 3 are both prime to
// 10), and padding with zeros on the left never changes whether a GTIN is valid.

const gtinArbitrary = fc.constantFrom(7, 11, 12, 13)
  .chain((length) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length }))
  .map((body) => `${body}${gs1CheckDigit(body)}`);

test('a GTIN with its check digit is valid and pads to the same 14 digits from every length', () => {
  fc.assert(fc.property(gtinArbitrary, (gtin) => {
    const check = normaliseGtin(gtin);
    assert.ok(check.ok);
    assert.equal(check.gtin14, gtin.padStart(14, '0'));
    for (const length of [12, 13, 14]) {
      if (length > gtin.length) assert.deepEqual(normaliseGtin(gtin.padStart(length, '0')), check);
    }
  }));
});

test('any single changed digit is refused', () => {
  fc.assert(fc.property(gtinArbitrary, fc.nat(), fc.integer({ min: 1, max: 9 }), (gtin, at, delta) => {
    const i = at % gtin.length;
    const changed = `${gtin.slice(0, i)}${(Number(gtin[i]) + delta) % 10}${gtin.slice(i + 1)}`;
    assert.equal(normaliseGtin(changed).ok, false, `${gtin} → ${changed}`);
  }));
});
