import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { gfLog, gfMultiply, gfPower } from '../../src/qr/gf256.js';
import { rsGenerator, rsParity, rsSyndromes } from '../../src/qr/reedSolomon.js';
import { byteModeData, interleavedCodewords } from '../../src/qr/qrCodewords.js';
import { bchRemainder, FORMAT_GENERATOR, FORMAT_MASK, formatBits, VERSION_GENERATOR, versionBits } from '../../src/qr/qrFormatInfo.js';
import { dataModuleOrder, functionPatterns } from '../../src/qr/qrMatrix.js';
import { QR_VERSIONS_M, versionFor, type QrVersion } from '../../src/qr/qrVersions.js';
import { encodeQr, QR_BYTES_MAX, type QrCode } from '../../src/qr/encodeQr.js';
import { QUIET_ZONE, qrSvgPath } from '../../src/qrSvg.js';

// The QR encoder against the numbers of ISO/IEC 18004 (its worked example's codewords, generator
// polynomials, format and version information, capacities), and every symbol it makes against the
// structure a reader relies on, read back here by code written apart from the encoder's.

const version = (v: number): QrVersion => QR_VERSIONS_M[v - 1]!;

test('GF(256): α = 2 has order 255 and products agree with carry-less multiplication modulo 0x11D', () => {
  assert.equal(gfPower(0), 1);
  assert.equal(gfPower(8), 0x1d);
  assert.equal(gfPower(255), 1);
  assert.equal(new Set(Array.from({ length: 255 }, (_, i) => gfPower(i))).size, 255);
  const slow = (a: number, b: number): number => {
    let product = 0;
    for (let bit = 7; bit >= 0; bit--) {
      product <<= 1;
      if (product & 0x100) product ^= 0x11d;
      if ((b >> bit) & 1) product ^= a;
    }
    return product;
  };
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) assert.equal(gfMultiply(a, b), slow(a, b), `${a}·${b}`);
  for (let a = 1; a < 256; a++) assert.equal(gfPower(gfLog(a)), a);
});

test('generator polynomials of the standard (Annex A), as exponents of α', () => {
  const exponents = (degree: number): number[] => Array.from(rsGenerator(degree), gfLog);
  assert.deepEqual(exponents(7), [0, 87, 229, 146, 149, 238, 102, 21]);
  assert.deepEqual(exponents(10), [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45]);
});

test('the standard’s worked example (Annex I, "01234567" as 1-M): its 10 error correction codewords', () => {
  const data = Uint8Array.from([0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11]);
  const parity = rsParity(data, 10);
  assert.deepEqual(Array.from(parity), [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
  assert.deepEqual(rsSyndromes(Uint8Array.from([...data, ...parity]), 10), new Array(10).fill(0));
  const damaged = Uint8Array.from([...data, ...parity]);
  damaged[3]! ^= 0x40;
  assert.notDeepEqual(rsSyndromes(damaged, 10), new Array(10).fill(0));
});

test('byte mode data codewords: mode 0100, the count, the bytes, terminator, pads EC 11', () => {
  // "abc": 0100 00000011 01100001 01100010 01100011 0000 → 40 36 16 26 30, then pads to 16 codewords.
  assert.deepEqual(Array.from(byteModeData(new TextEncoder().encode('abc'), version(1))),
    [0x40, 0x36, 0x16, 0x26, 0x30, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec]);
  // A full version 1-M (14 bytes): no room for pads; the terminator is cut to the 4 bits left.
  const full = byteModeData(new TextEncoder().encode('A'.repeat(14)), version(1));
  assert.equal(full.length, 16);
  assert.deepEqual(Array.from(full.slice(0, 2)), [0x40, 0xe4]);
  assert.equal(full[15], 0x10);
  // From version 10 the count has 16 bits.
  assert.deepEqual(Array.from(byteModeData(Uint8Array.of(0xff), version(10)).slice(0, 4)), [0x40, 0x00, 0x1f, 0xf0]);
});

test('capacities of byte mode at level M (Table 7) pick the smallest version; more than 213 bytes is refused', () => {
  const capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];
  capacities.forEach((bytes, i) => {
    assert.equal(versionFor(bytes)?.version, i + 1, `${bytes} bytes`);
    assert.equal(versionFor(bytes + 1)?.version, i === 9 ? undefined : i + 2, `${bytes + 1} bytes`);
  });
  assert.equal(QR_BYTES_MAX, 213);
  assert.throws(() => encodeQr('x'.repeat(214)), RangeError);
});

test('every version’s codewords fill its data modules, leaving the standard’s remainder bits', () => {
  const totals = [26, 44, 70, 100, 134, 172, 196, 242, 292, 346];
  const remainders = [0, 7, 7, 7, 7, 7, 0, 0, 0, 0];
  for (const v of QR_VERSIONS_M) {
    const total = v.blocks.reduce((s, n) => s + n + v.ecPerBlock, 0);
    assert.equal(total, totals[v.version - 1], `version ${v.version}`);
    assert.equal(dataModuleOrder(functionPatterns(v)).length, 8 * total + remainders[v.version - 1]!, `version ${v.version}`);
  }
});

test('format information of level M (Table C.1) and version information (Table D.1)', () => {
  const formats = ['101010000010010', '101000100100101', '101111001111100', '101101101001011', '100010111111001', '100000011001110', '100111110010111', '100101010100000'];
  formats.forEach((bits, mask) => assert.equal(formatBits(mask), parseInt(bits, 2), `mask ${mask}`));
  assert.deepEqual([7, 8, 9, 10].map(versionBits), [0x07c94, 0x085bc, 0x09a99, 0x0a4d3]);
});

// ---- An independent reading of a symbol ----

/** Whether (x, y) is a function module, from the standard's layout (not from the encoder). */
function isFunction(v: QrVersion, x: number, y: number): boolean {
  const n = v.size;
  if ((x < 9 && y < 9) || (x >= n - 8 && y < 9) || (x < 9 && y >= n - 8)) return true;
  if (x === 6 || y === 6) return true;
  if (v.version >= 7 && ((x < 6 && y >= n - 11 && y < n - 8) || (y < 6 && x >= n - 11 && x < n - 8))) return true;
  const c = v.alignment;
  for (const ax of c) {
    for (const ay of c) {
      const corner = (ax === c[0] && ay === c[0]) || (ax === c[0] && ay === c[c.length - 1]) || (ax === c[c.length - 1] && ay === c[0]);
      if (!corner && Math.abs(x - ax) <= 2 && Math.abs(y - ay) <= 2) return true;
    }
  }
  return false;
}

const MASKS: Array<(i: number, j: number) => boolean> = [
  (i, j) => (i + j) % 2 === 0, (i) => i % 2 === 0, (_i, j) => j % 3 === 0, (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0, (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0, (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

function bitsAt(code: QrCode, cells: Array<[number, number]>): number {
  return cells.reduce((value, [x, y], i) => value | ((code.dark[y]![x] ? 1 : 0) << i), 0);
}

/** Checks one symbol's structure and reads its codewords back; returns the decoded bytes. */
function readSymbol(code: QrCode): Uint8Array {
  const v = version(code.version);
  const n = code.size;
  assert.equal(n, 17 + 4 * code.version);
  assert.equal(code.dark.length, n);
  // Finder patterns with their light separators.
  for (const [ox, oy] of [[0, 0], [n - 7, 0], [0, n - 7]] as const) {
    for (let dy = -1; dy <= 7; dy++) {
      for (let dx = -1; dx <= 7; dx++) {
        const x = ox + dx;
        const y = oy + dy;
        if (x < 0 || y < 0 || x >= n || y >= n) continue;
        const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
        assert.equal(code.dark[y]![x], ring === 0 || ring === 1 || ring === 3, `finder module (${x}, ${y})`);
      }
    }
  }
  // Timing patterns between the finders, the dark module, alignment patterns.
  for (let i = 8; i < n - 8; i++) {
    assert.equal(code.dark[6]![i], i % 2 === 0, `timing row at ${i}`);
    assert.equal(code.dark[i]![6], i % 2 === 0, `timing column at ${i}`);
  }
  assert.ok(code.dark[n - 8]![8], 'dark module');
  const c = v.alignment;
  for (const ax of c) {
    for (const ay of c) {
      if ((ax === c[0] && ay === c[0]) || (ax === c[0] && ay === c[c.length - 1]) || (ax === c[c.length - 1] && ay === c[0])) continue;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) assert.equal(code.dark[ay + dy]![ax + dx], Math.max(Math.abs(dx), Math.abs(dy)) !== 1, `alignment at (${ax}, ${ay})`);
    }
  }
  // Format information: both copies the same, a (15, 5) BCH codeword once unmasked, level M and the mask.
  const first: Array<[number, number]> = [[8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8]];
  const second: Array<[number, number]> = [...Array.from({ length: 8 }, (_, i): [number, number] => [n - 1 - i, 8]), ...Array.from({ length: 7 }, (_, i): [number, number] => [8, n - 7 + i])];
  const format = bitsAt(code, first);
  assert.equal(bitsAt(code, second), format, 'both format copies');
  const unmasked = format ^ FORMAT_MASK;
  assert.equal(bchRemainder(unmasked, FORMAT_GENERATOR), 0, 'format BCH');
  assert.equal(unmasked >> 13, 0b00, 'level M');
  assert.equal((unmasked >> 10) & 7, code.mask, 'mask');
  // Version information from version 7: both copies, an (18, 6) BCH codeword of the version.
  if (code.version >= 7) {
    const below: Array<[number, number]> = [];
    const right: Array<[number, number]> = [];
    for (let i = 0; i < 18; i++) {
      below.push([Math.floor(i / 3), n - 11 + (i % 3)]);
      right.push([n - 11 + (i % 3), Math.floor(i / 3)]);
    }
    const bits = bitsAt(code, below);
    assert.equal(bitsAt(code, right), bits, 'both version copies');
    assert.equal(bchRemainder(bits, VERSION_GENERATOR), 0, 'version BCH');
    assert.equal(bits >> 12, code.version);
  }
  // The codewords: unmasked, read in the zigzag, split into blocks.
  const bits: number[] = [];
  let upwards = true;
  for (let right = n - 1; right > 0; right -= 2) {
    if (right === 6) right--;
    for (let k = 0; k < n; k++) {
      const y = upwards ? n - 1 - k : k;
      for (const x of [right, right - 1]) if (!isFunction(v, x, y)) bits.push((code.dark[y]![x] ? 1 : 0) ^ (MASKS[code.mask]!(y, x) ? 1 : 0));
    }
    upwards = !upwards;
  }
  const total = v.blocks.reduce((s, b) => s + b + v.ecPerBlock, 0);
  const codewords = Array.from({ length: total }, (_, i) => bits.slice(8 * i, 8 * i + 8).reduce((byte, bit) => (byte << 1) | bit, 0));
  assert.ok(bits.slice(8 * total).every((bit) => bit === 0), 'remainder bits are light before masking');
  const blocks = v.blocks.map((length) => ({ data: [] as number[], parity: [] as number[], length }));
  let at = 0;
  for (let i = 0; i < Math.max(...v.blocks); i++) for (const block of blocks) if (i < block.length) block.data.push(codewords[at++]!);
  for (let i = 0; i < v.ecPerBlock; i++) for (const block of blocks) block.parity.push(codewords[at++]!);
  for (const block of blocks) assert.deepEqual(rsSyndromes(Uint8Array.from([...block.data, ...block.parity]), v.ecPerBlock), new Array(v.ecPerBlock).fill(0), 'RS syndromes');
  // The data: byte mode, its count, its bytes, then the terminator and pads.
  const data = blocks.flatMap((block) => block.data);
  const dataBits = data.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
  const take = (from: number, length: number): number => dataBits.slice(from, from + length).reduce((value, bit) => value * 2 + bit, 0);
  assert.equal(take(0, 4), 0b0100, 'byte mode');
  const countBits = code.version <= 9 ? 8 : 16;
  const count = take(4, countBits);
  const bytes = Uint8Array.from({ length: count }, (_, i) => take(4 + countBits + 8 * i, 8));
  const end = Math.ceil((4 + countBits + 8 * count) / 8);
  data.slice(end).forEach((pad, i) => assert.equal(pad, i % 2 === 0 ? 0xec : 0x11, 'pad codewords'));
  return bytes;
}

test('a one-block version sends the data codewords, then the parity (the worked example)', () => {
  const data = Uint8Array.from([0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11]);
  assert.deepEqual(Array.from(interleavedCodewords(data, version(1)).slice(16)), [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
});

test('URLs of every version read back: structure, format and version information, syndromes, the bytes', () => {
  for (const length of [1, 14, 15, 26, 27, 42, 43, 62, 63, 84, 85, 106, 107, 122, 123, 152, 153, 180, 181, 213]) {
    const text = `https://id.gs1.org/01/09521234543213/21/${'7'.repeat(200)}`.slice(0, length);
    const code = encodeQr(text);
    assert.equal(code.version, versionFor(length)!.version);
    assert.deepEqual(readSymbol(code), new TextEncoder().encode(text), text);
  }
});

test('property: any text that fits, with any mask, makes a symbol that reads back to its UTF-8 bytes', () => {
  const fits = fc.string({ unit: 'binary', maxLength: 213 }).filter((s) => new TextEncoder().encode(s).length <= QR_BYTES_MAX);
  fc.assert(fc.property(fits, fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }), (text, mask) => {
    const code = encodeQr(text, mask);
    if (mask !== undefined) assert.equal(code.mask, mask);
    assert.deepEqual(readSymbol(code), new TextEncoder().encode(text));
  }), { numRuns: 60 });
});

test('the reading above is no formality: one flipped data module or format bit fails it', () => {
  const code = encodeQr('https://id.gs1.org/01/09521234543213/21/4711');
  const flip = (x: number, y: number): QrCode => ({ ...code, dark: code.dark.map((row, r) => row.map((m, c) => (c === x && r === y ? !m : m))) });
  assert.throws(() => readSymbol(flip(code.size - 1, code.size - 1)), /syndromes/);
  assert.throws(() => readSymbol(flip(8, 0)), /format/);
  assert.throws(() => readSymbol(flip(10, 6)), /timing/);
});

test('the SVG path draws exactly the dark modules, inside the quiet zone', () => {
  const code = encodeQr('https://id.gs1.org/01/09521234543213/21/4711');
  const drawn = code.dark.map((row) => row.map(() => false));
  for (const [, x, y, run] of qrSvgPath(code).matchAll(/M(\d+),(\d+)h(\d+)v1h-\3z/g)) {
    for (let i = 0; i < Number(run); i++) drawn[Number(y) - QUIET_ZONE]![Number(x) - QUIET_ZONE + i] = true;
  }
  assert.deepEqual(drawn, code.dark);
  assert.match(qrSvgPath(code), /^(M\d+,\d+h\d+v1h-\d+z)+$/);
});

// A real reader, when the machine has one (Debian's zbar-tools); never installed by the tests.
const ZBARIMG = '/usr/bin/zbarimg';
test('zbarimg reads the symbols back', { skip: existsSync(ZBARIMG) ? false : `${ZBARIMG} not found (apt-get install zbar-tools to run this check)` }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-qr-'));
  try {
    const texts = ['https://id.gs1.org/01/09521234543213/21/4711', 'http://127.0.0.1:8701/explorer/#/trace?id=urn%3Aepc%3Aid%3Asgtin%3A0614141.107346.2017', '信链 ✓', 'x'.repeat(213)];
    for (const text of texts) {
      const code = encodeQr(text);
      const scale = 4;
      const side = (code.size + 2 * QUIET_ZONE) * scale;
      const pixels = new Uint8Array(side * side).fill(255);
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) if (code.dark[Math.floor(y / scale) - QUIET_ZONE]?.[Math.floor(x / scale) - QUIET_ZONE] === true) pixels[y * side + x] = 0;
      }
      const file = join(dir, 'qr.pgm');
      writeFileSync(file, Buffer.concat([Buffer.from(`P5 ${side} ${side} 255\n`), pixels]));
      const read = execFileSync(ZBARIMG, ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(read.replace(/\n$/, ''), text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
