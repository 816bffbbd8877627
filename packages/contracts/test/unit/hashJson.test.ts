import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { canonicalJson, hashJson, hashText, NativeRefusal } from '../../src/natives/index.js';
import { TRACEABILITY, traceabilityModule } from '../helpers/traceabilityModule.js';

const suiteHash = (algorithm: 'sha256' | 'sm3') => (data: Uint8Array) => new Uint8Array(createHash(algorithm).update(data).digest());
const sha256 = suiteHash('sha256');
const sm3 = suiteHash('sm3');

test('hashText is the hex of the suite hash of the UTF-8 bytes, as api.hash; a lone surrogate is hashed as U+FFFD', () => {
  assert.equal(hashText('', sha256), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  // GB/T 32905-2016 example 1: SM3("abc").
  assert.equal(hashText('abc', sm3), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(hashText('€😀', sha256), createHash('sha256').update(Buffer.from('€😀', 'utf8')).digest('hex'));
  assert.equal(hashText('a\ud800', sha256), hashText('a\ufffd', sha256));
});

test('hashJson is the suite hash of the canonical JSON; it refuses what canonicalJson refuses', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
    assert.equal(hashJson(value, sm3), hashText(canonicalJson(value), sm3));
  }), { numRuns: 300 });
  assert.equal(hashJson({ b: [1, 2.50], a: 'x' }, sha256), hashText('{"a":"x","b":[1,2.5]}', sha256));
  assert.throws(() => hashJson({ a: '\udc00' }, sha256), NativeRefusal);
  assert.throws(() => hashJson(Number.POSITIVE_INFINITY, sha256), NativeRefusal);
});

test('the event hash of the traceability contract: hashJson of each official example event is the key the contract records it under', async () => {
  const contract = await traceabilityModule<{ canonicalJson(value: unknown): string }>('reference/canonicalJson.ts');
  const dir = new URL('vectors/examples/', TRACEABILITY);
  const events = readdirSync(dir).filter((f) => f.endsWith('.jsonld')).flatMap((f) => {
    const document = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
    return (document.epcisBody.eventList ?? document.epcisBody.queryResults.resultsBody.eventList) as unknown[];
  });
  assert.equal(events.length, 20);
  for (const event of events) assert.equal(hashJson(event, sha256), createHash('sha256').update(contract.canonicalJson(event)).digest('hex'));
});
