import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DerReader, derBoolean, derNamedBits, derObjectIdentifier, derOctetString, derSequence, derSet, derSmallInteger,
  derTime, derUnsignedInteger, derUtf8String, base64Decode, base64Encode, pemDecode, pemEncode,
} from '../../src/x509/index.js';
import { toHex } from '../../src/bytes.js';
import { XinlianError } from '../../src/errors.js';

const decodeError = (error: unknown) => error instanceof XinlianError && error.code === 'DECODE_ERROR';

test('integers are minimal two\'s complement and read back', () => {
  assert.equal(toHex(derSmallInteger(0)), '020100');
  assert.equal(toHex(derSmallInteger(127)), '02017f');
  assert.equal(toHex(derSmallInteger(128)), '02020080');
  assert.equal(toHex(derUnsignedInteger(Uint8Array.of(0, 0, 1))), '020101');
  fc.assert(fc.property(fc.maxSafeNat(), (n) => {
    assert.equal(new DerReader(derSmallInteger(n), 't').smallInteger('n', Number.MAX_SAFE_INTEGER), n);
  }));
  for (const bad of ['0200', '02020001', '0202ff80']) {
    assert.throws(() => new DerReader(Buffer.from(bad, 'hex'), 't').integerBytes('n'), decodeError);
  }
});

test('lengths: long form only when needed, never indefinite or padded', () => {
  const long = derOctetString(new Uint8Array(200));
  assert.equal(toHex(long.subarray(0, 3)), '0481c8');
  assert.equal(new DerReader(long, 't').octetString('o').length, 200);
  for (const bad of ['048105' + '00'.repeat(5), '0480', '04820005' + '00'.repeat(5), '0485010000000000', '0405']) {
    assert.throws(() => new DerReader(Buffer.from(bad, 'hex'), 't').octetString('o'), decodeError);
  }
});

test('booleans, OIDs, strings, SET ordering', () => {
  assert.equal(toHex(derBoolean(true)), '0101ff');
  assert.throws(() => new DerReader(Buffer.from('010101', 'hex'), 't').boolean('b'), decodeError);
  for (const oid of ['1.3.101.112', '1.2.156.10197.1.501', '2.5.29.35', '2.999.3']) {
    assert.equal(new DerReader(derObjectIdentifier(oid), 't').objectIdentifier('o'), oid);
  }
  assert.equal(toHex(derObjectIdentifier('1.2.840.10045.2.1')), '06072a8648ce3d0201');
  assert.throws(() => new DerReader(Buffer.from('06022a80', 'hex'), 't').objectIdentifier('o'), decodeError);
  assert.throws(() => new DerReader(Buffer.from('0602802a', 'hex'), 't').objectIdentifier('o'), decodeError);
  assert.equal(new DerReader(derUtf8String('信链 org'), 't').directoryString('s'), '信链 org');
  assert.deepEqual(derSet(derSmallInteger(5), derSmallInteger(1)), derSet(derSmallInteger(1), derSmallInteger(5)));
  assert.throws(() => new DerReader(Buffer.from('0c02c328', 'hex'), 't').directoryString('s'), decodeError);
});

test('named bit lists drop trailing zeros and read back', () => {
  assert.equal(toHex(derNamedBits(1)), '03020780'); // digitalSignature
  assert.equal(toHex(derNamedBits(0x60)), '03020106'); // keyCertSign | cRLSign
  assert.equal(toHex(derNamedBits(0x100)), '0303070080'); // decipherOnly
  for (let mask = 1; mask < 512; mask++) assert.equal(new DerReader(derNamedBits(mask), 't').namedBits('k'), mask);
  assert.throws(() => new DerReader(Buffer.from('03020680', 'hex'), 't').namedBits('k'), decodeError); // trailing zero
  assert.throws(() => new DerReader(Buffer.from('03020781', 'hex'), 't').namedBits('k'), decodeError); // unused bit set
});

test('times: UTCTime before 2050, GeneralizedTime after, exact round trip', () => {
  assert.equal(toHex(derTime(0)), '170d3730303130313030303030305a');
  const cases: Array<[string, string]> = [
    ['2026-11-24T15:47:44Z', '261124154744Z'], ['2000-02-29T00:00:00Z', '000229000000Z'],
    ['1950-01-01T00:00:00Z', '500101000000Z'], ['2049-12-31T23:59:59Z', '491231235959Z'],
    ['2050-01-01T00:00:00Z', '20500101000000Z'], ['2100-03-01T12:00:00Z', '21000301120000Z'],
  ];
  for (const [iso, text] of cases) {
    const ms = Date.parse(iso);
    const encoded = derTime(ms);
    assert.equal(Buffer.from(encoded.subarray(2)).toString('latin1'), text);
    assert.equal(new DerReader(encoded, 't').time('t'), ms);
  }
  fc.assert(fc.property(fc.integer({ min: Date.parse('1950-01-01T00:00:00Z') / 1000, max: Date.parse('9999-12-31T23:59:59Z') / 1000 }), (seconds) => {
    const ms = seconds * 1000;
    const text = Buffer.from(derTime(ms).subarray(2)).toString('latin1');
    const expected = new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.000Z$/, 'Z');
    assert.equal(text, ms >= Date.parse('2050-01-01T00:00:00Z') ? expected : expected.slice(2));
    assert.equal(new DerReader(derTime(ms), 't').time('t'), ms);
  }));
  for (const bad of ['170d3236313132343135343734345a'.replace('5a', '2b'), '170d3236313333303030303030305a', '170d3236303233303030303030305a', '180f32303236313132343135343734345a']) {
    assert.throws(() => new DerReader(Buffer.from(bad, 'hex'), 't').time('t'), decodeError);
  }
});

test('base64 and PEM match Buffer and reject non-canonical text', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
    const text = base64Encode(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'));
    assert.deepEqual(base64Decode(text), bytes);
    assert.deepEqual(pemDecode(`junk\r\n${pemEncode('CERTIFICATE', bytes).replace(/\n/g, '\r\n')}`, 'CERTIFICATE'), bytes);
  }));
  for (const bad of ['QQ', 'QR==', 'QQ=A', '====', 'Q Q=', 'QUJD\n']) assert.throws(() => base64Decode(bad), decodeError);
  assert.throws(() => pemDecode('-----BEGIN CERTIFICATE-----\nQUJD\n', 'CERTIFICATE'), decodeError);
  assert.throws(() => pemDecode('nothing here', 'CERTIFICATE'), decodeError);
});

test('readers reject trailing bytes and wrong tags', () => {
  const reader = new DerReader(derSequence(derSmallInteger(1), derSmallInteger(2)), 't').enter('seq');
  reader.smallInteger('a', 10);
  assert.throws(() => reader.end(), decodeError);
  assert.throws(() => new DerReader(derSmallInteger(1), 't').octetString('o'), decodeError);
  assert.throws(() => new DerReader(Uint8Array.of(0x1f, 0x01, 0x00), 't').read('x'), decodeError);
});

test('fuzz: random bytes only ever raise DECODE_ERROR', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    const ops = [
      (r: DerReader) => r.integerBytes('i'), (r: DerReader) => r.objectIdentifier('o'), (r: DerReader) => r.time('t'),
      (r: DerReader) => r.namedBits('k'), (r: DerReader) => r.directoryString('s'), (r: DerReader) => r.enter('s').read('x'),
      (r: DerReader) => r.boolean('b'), (r: DerReader) => r.bitStringOctets('b'),
    ];
    for (const op of ops) {
      try { op(new DerReader(bytes, 'fuzz')); } catch (error) { assert.ok(decodeError(error), String(error)); }
    }
  }), { numRuns: 2000 });
});
