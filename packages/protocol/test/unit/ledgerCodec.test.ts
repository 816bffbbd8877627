import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeBlock, decodeCommit, decodeHeader, decodeSignedTx, decodeTxBody, decodeTxResult, decodeValidatorSet,
  decodeEvidenceDeposit, decodeEvidenceRecord, encodeBlock, encodeCommit, encodeHeader, encodeSignedTx, encodeTxBody,
  encodeTxResult, encodeValidatorSet, encodeEvidenceDeposit, encodeEvidenceRecord, toHex, XinlianError,
} from '../../src/index.js';

// Plain objects (fast-check's records have a null prototype, which deepEqual would flag).
const record_ = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) => fc.record(model, { noNullPrototype: true });
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const height = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const text = (max: number) => fc.string({ maxLength: max }).filter((s) => new TextEncoder().encode(s).length <= max);

const txBody = record_({
  version: fc.constant(1), chainId: text(64), signerCert: fc.uint8Array({ maxLength: 600 }),
  nonce: fc.uint8Array({ minLength: 16, maxLength: 16 }), expiryHeight: height, type: text(64), payload: fc.uint8Array({ maxLength: 300 }),
});
const header = record_({
  version: fc.constant(1), chainId: text(64), height, timeMs: height, prevHash: hash32, txRoot: hash32, resultsRoot: hash32,
  stateRoot: hash32, validatorsHash: hash32, proposer: hash32, txCount: fc.integer({ min: 0, max: 0xffffffff }),
});
const commit = record_({
  height, round: fc.integer({ min: 0, max: 0xffffffff }), blockHash: hash32,
  signatures: fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 7 }).chain((indexes) =>
    fc.tuple(...indexes.sort((a, b) => a - b).map((i) => record_({ validatorIndex: fc.constant(i), signature: fc.uint8Array({ maxLength: 72 }) })))),
});
const result = record_({
  txId: hash32, code: text(64), message: text(200),
  events: fc.array(record_({ type: text(40), attributes: fc.array(fc.tuple(text(20), text(40)), { maxLength: 4 }) }), { maxLength: 4 }),
});
const validators = fc.array(record_({ publicKey: fc.uint8Array({ minLength: 32, maxLength: 65 }), power: height }), { minLength: 1, maxLength: 5 });
const deposit = record_({ hash: hash32, title: text(256) });
const record = record_({
  hash: hash32, title: text(256), depositorOrg: text(64), depositorName: text(64), txId: hash32, height, timeMs: height,
});

interface Codec<T> { name: string; arb: fc.Arbitrary<T>; encode(x: T): Uint8Array; decode(b: Uint8Array): T }
const codecs: Array<Codec<any>> = [
  { name: 'tx body', arb: txBody, encode: encodeTxBody, decode: decodeTxBody },
  { name: 'signed tx', arb: record_({ bodyBytes: fc.uint8Array({ maxLength: 500 }), signature: fc.uint8Array({ maxLength: 72 }) }), encode: encodeSignedTx, decode: decodeSignedTx },
  { name: 'header', arb: header, encode: encodeHeader, decode: decodeHeader },
  { name: 'commit', arb: commit, encode: encodeCommit, decode: decodeCommit },
  { name: 'tx result', arb: result, encode: encodeTxResult, decode: decodeTxResult },
  { name: 'validator set', arb: validators, encode: encodeValidatorSet, decode: decodeValidatorSet },
  { name: 'block', arb: record_({ header, txs: fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 5 }) }), encode: encodeBlock, decode: decodeBlock },
  { name: 'evidence deposit', arb: deposit, encode: encodeEvidenceDeposit, decode: decodeEvidenceDeposit },
  { name: 'evidence record', arb: record, encode: encodeEvidenceRecord, decode: decodeEvidenceRecord },
];

for (const codec of codecs) {
  test(`${codec.name}: decode(encode(x)) = x`, () => {
    fc.assert(fc.property(codec.arb, (value) => {
      assert.deepEqual(codec.decode(codec.encode(value)), value);
    }));
  });

  test(`${codec.name}: no second byte string decodes to the same value`, () => {
    fc.assert(fc.property(codec.arb, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: -3, max: 3 }), (value, at, byte, resize) => {
      const bytes = codec.encode(value);
      let mutated = bytes.slice();
      if (mutated.length > 0) mutated[at % mutated.length] = byte;
      if (resize > 0) mutated = new Uint8Array([...mutated, ...new Uint8Array(resize).fill(byte)]);
      if (resize < 0) mutated = mutated.slice(0, Math.max(0, mutated.length + resize));
      let decoded;
      try {
        decoded = codec.decode(mutated);
      } catch (error) {
        assert.ok(error instanceof XinlianError && error.code === 'DECODE_ERROR', `unexpected error ${String(error)}`);
        return;
      }
      assert.equal(toHex(codec.encode(decoded)), toHex(mutated), 'a decoded value must re-encode to the very same bytes');
    }));
  });
}

test('decoders reject wrong versions and unsorted commit signatures', () => {
  const body = encodeTxBody({ version: 1, chainId: 'c', signerCert: new Uint8Array(1), nonce: new Uint8Array(16), expiryHeight: 1, type: 't', payload: new Uint8Array() });
  body[0] = 2;
  assert.throws(() => decodeTxBody(body), /unsupported tx version 2/);
  const c = encodeCommit({ height: 1, round: 0, blockHash: new Uint8Array(32), signatures: [{ validatorIndex: 1, signature: new Uint8Array(1) }, { validatorIndex: 0, signature: new Uint8Array(1) }] });
  assert.throws(() => decodeCommit(c), /sorted by validator index/);
});
