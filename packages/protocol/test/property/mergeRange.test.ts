import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergeRange } from '../../src/index.js';

// A layer of writes over a sorted store: taking `limit + own` base entries and merging gives the
// first `limit` entries of the whole merged state, whatever the writes delete or add.
test('property: mergeRange equals merging the whole store, then taking the first limit entries', () => {
  const key = fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', 'c', 'd') });
  fc.assert(fc.property(
    fc.dictionary(key, fc.integer()), fc.dictionary(key, fc.option(fc.integer(), { nil: null })), fc.integer({ min: 1, max: 20 }),
    (store, writes, limit) => {
      const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const sorted = Object.entries(store).sort((a, b) => compare(a[0], b[0]));
      const own = Object.entries(writes);
      const whole = new Map<string, number | null>(sorted);
      for (const [k, v] of own) whole.set(k, v);
      const expected = [...whole].filter((e): e is [string, number] => e[1] !== null).sort((a, b) => compare(a[0], b[0])).slice(0, limit);
      assert.deepEqual(mergeRange(sorted.slice(0, limit + own.length), own, limit, compare, (k) => k), expected);
    },
  ), { seed: 9600 });
});
