import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySearch, resolveHash, searchHref } from '../../src/searchTarget.js';
import { href, parseHash } from '../../src/route.js';

const HASH = 'ab'.repeat(32);

test('digits are a height, 64 hex digits a hash, anything else a state key', () => {
  assert.deepEqual(classifySearch(' 42 '), { kind: 'height', height: 42 });
  assert.deepEqual(classifySearch('0'), { kind: 'height', height: 0 });
  assert.deepEqual(classifySearch(HASH.toUpperCase()), { kind: 'hash', hash: HASH });
  assert.deepEqual(classifySearch(`0x${HASH}`), { kind: 'hash', hash: HASH });
  assert.deepEqual(classifySearch(HASH.slice(2)), { kind: 'key', key: HASH.slice(2) }, '62 hex digits are not a hash');
  assert.deepEqual(classifySearch('c/traceability/e/x'), { kind: 'key', key: 'c/traceability/e/x' });
  assert.deepEqual(classifySearch('99999999999999999999'), { kind: 'key', key: '99999999999999999999' }, 'beyond a safe integer');
  assert.deepEqual(classifySearch('   '), { kind: 'empty' });
});

test('each kind has its page', () => {
  assert.equal(searchHref({ kind: 'height', height: 7 }), '#/blocks/7');
  assert.equal(searchHref({ kind: 'hash', hash: HASH }), `#/search?q=${HASH}`);
  assert.equal(searchHref({ kind: 'key', key: 'sys/org/org1' }), '#/state?key=sys%2Forg%2Forg1');
  assert.equal(searchHref({ kind: 'empty' }), undefined);
  const route = parseHash(searchHref({ kind: 'key', key: 'a b|c/d?e=f&g' })!);
  assert.deepEqual(route.segments, ['state']);
  assert.equal(route.query.get('key'), 'a b|c/d?e=f&g');
});

test('a hash is tried as a block, then a tx, then a deposited document', async () => {
  const asked: string[] = [];
  const answers = (found: Record<string, unknown>) => async (path: string): Promise<unknown> => {
    asked.push(path);
    return found[path];
  };
  assert.equal(await resolveHash(HASH, answers({ [`/v1/blocks/hash/${HASH}`]: { header: { height: 9 } } })), '#/blocks/9');
  assert.equal(await resolveHash(HASH, answers({ [`/v1/txs/${HASH}`]: { txId: HASH } })), `#/txs/${HASH}`);
  asked.length = 0;
  const tx = 'cd'.repeat(32);
  assert.equal(await resolveHash(HASH, answers({ [`/v1/evidence/${HASH}`]: { txId: tx } })), `#/txs/${tx}`);
  assert.deepEqual(asked, [`/v1/blocks/hash/${HASH}`, `/v1/txs/${HASH}`, `/v1/evidence/${HASH}`]);
  assert.equal(await resolveHash(HASH, answers({})), undefined);
});

test('hash routes: segments decoded, query kept', () => {
  assert.deepEqual(parseHash(''), { segments: [], query: new URLSearchParams() });
  assert.deepEqual(parseHash('#/').segments, []);
  assert.deepEqual(parseHash('#/blocks/12').segments, ['blocks', '12']);
  assert.deepEqual(parseHash('#/contracts/a%2Fb').segments, ['contracts', 'a/b']);
  assert.equal(parseHash('#/trace?id=https%3A%2F%2Fid.gs1.org%2F01%2F1').query.get('id'), 'https://id.gs1.org/01/1');
  assert.equal(href(['blocks', 3], { from: '10' }), '#/blocks/3?from=10');
});
