import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XinlianError } from '@xinlian/protocol';
import { QueryBudget } from '../../src/api/queryBudget.js';

test('queries get a bounded share of each second: past it they are refused with UNAVAILABLE until the next second', () => {
  let now = 10_000;
  const budget = new QueryBudget(() => now, 250);
  const query = (ms: number) => budget.run(() => { now += ms; return ms; });
  assert.equal(query(120), 120);
  assert.equal(query(120), 120);
  assert.equal(query(20), 20, 'the share is checked before a query, so the one that crosses it runs');
  assert.throws(() => query(1), (e: unknown) => e instanceof XinlianError && e.code === 'UNAVAILABLE' && (e.details as { retryAfterMs: number }).retryAfterMs === 740);
  now = 11_000;
  assert.equal(query(100), 100, 'a new second, a new share');
  assert.throws(() => budget.run(() => { now += 300; throw new Error('query failed'); }), /query failed/);
  assert.throws(() => query(1), (e: unknown) => e instanceof XinlianError && e.code === 'UNAVAILABLE', 'a failed query spent its time too');
});
