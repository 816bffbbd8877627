import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { POLICIES, tally, votesRequired, type Policy } from '../../src/index.js';
import { checkProperty } from '../helpers/decoderFuzz.js';

const orgs = (n: number) => Array.from({ length: n }, (_, i) => `org${i + 1}`);
const yes = (...ids: string[]) => ids.map((org) => ({ org, approve: true }));
const no = (...ids: string[]) => ids.map((org) => ({ org, approve: false }));

test('votes required: majority is more than half, twoThirds at least two thirds rounded up, all is everyone', () => {
  const table: Array<[Policy, number[]]> = [
    ['majority', [1, 2, 2, 3, 3, 4, 4]],
    ['twoThirds', [1, 2, 2, 3, 4, 4, 5]],
    ['all', [1, 2, 3, 4, 5, 6, 7]],
  ];
  for (const [policy, required] of table) {
    required.forEach((count, i) => assert.equal(votesRequired(policy, i + 1), count, `${policy} of ${i + 1}`));
  }
});

test('twoThirds of three organisations: one yes is open, two pass; two no reject', () => {
  const members = orgs(3);
  assert.equal(tally('twoThirds', members, yes('org1')), 'open');
  assert.equal(tally('twoThirds', members, yes('org1', 'org2')), 'passed');
  assert.equal(tally('twoThirds', members, [...yes('org1'), ...no('org2')]), 'open');
  assert.equal(tally('twoThirds', members, [...yes('org1'), ...no('org2', 'org3')]), 'rejected');
});

test('majority and all: a tie is no majority, and one no defeats all', () => {
  assert.equal(tally('majority', orgs(4), yes('org1', 'org2')), 'open');
  assert.equal(tally('majority', orgs(4), [...yes('org1', 'org2'), ...no('org3')]), 'open');
  assert.equal(tally('majority', orgs(4), [...yes('org1'), ...no('org2', 'org3')]), 'rejected');
  assert.equal(tally('majority', orgs(4), yes('org1', 'org2', 'org4')), 'passed');
  assert.equal(tally('all', orgs(3), yes('org1', 'org2')), 'open');
  assert.equal(tally('all', orgs(3), [...yes('org1', 'org2'), ...no('org3')]), 'rejected');
  assert.equal(tally('all', orgs(3), yes('org3', 'org2', 'org1')), 'passed');
  assert.equal(tally('majority', orgs(1), yes('org1')), 'passed');
});

test('only current members count, each once: a removed organisation\'s vote and a second vote are ignored', () => {
  const members = orgs(3);
  assert.equal(tally('twoThirds', members, yes('org1', 'gone')), 'open');
  assert.equal(tally('twoThirds', members, [...yes('org1'), ...yes('org1')]), 'open');
  assert.equal(tally('twoThirds', members, [...no('gone', 'gone2'), ...yes('org1')]), 'open');
  // The first vote of an organisation is the one that counts.
  assert.equal(tally('twoThirds', members, [...yes('org1'), ...no('org2'), ...yes('org2')]), 'open');
  // Two of three members said yes before a third one left: with two members left they still pass.
  assert.equal(tally('all', ['org1', 'org2'], yes('org1', 'org2', 'org3')), 'passed');
});

test('tally agrees with brute force: passed iff enough yes, rejected iff no way to pass remains', (t) => {
  checkProperty(t, fc.property(
    fc.constantFrom(...POLICIES),
    fc.integer({ min: 1, max: 7 }),
    fc.array(fc.record({ org: fc.integer({ min: 1, max: 9 }).map((i) => `org${i}`), approve: fc.boolean() }), { maxLength: 10 }),
    (policy, n, votes) => {
      const members = orgs(n);
      const firstVote = new Map<string, boolean>();
      for (const vote of votes) if (members.includes(vote.org) && !firstVote.has(vote.org)) firstVote.set(vote.org, vote.approve);
      const count = (ballots: Map<string, boolean>) => [...ballots.values()].filter(Boolean).length;
      const passes = (yesCount: number) => (policy === 'majority' ? yesCount * 2 > n : policy === 'twoThirds' ? yesCount * 3 >= 2 * n : yesCount === n);
      const undecided = members.filter((org) => !firstVote.has(org));
      const expected = passes(count(firstVote)) ? 'passed' : passes(count(firstVote) + undecided.length) ? 'open' : 'rejected';
      assert.equal(tally(policy, members, votes), expected);
    },
  ), { seed: 9500, numRuns: 500 });
});
