// From bytes to the codeword sequence placed in the symbol (ISO/IEC 18004 §7.4, §7.6): one
// byte-mode segment, terminator and pad codewords, split into blocks, each block's Reed–Solomon
// parity, then data and parity interleaved block by block.
import { rsParity } from './reedSolomon.js';
import { byteCountBits, dataCodewords, type QrVersion } from './qrVersions.js';

/** Pad codewords filling unused data capacity, alternately (§7.4.10). */
const PADS = [0xec, 0x11];

/** The data codewords: mode 0100, the byte count, the bytes, a terminator, zero bits to a byte, pads. */
export function byteModeData(bytes: Uint8Array, version: QrVersion): Uint8Array {
  const capacityBits = 8 * dataCodewords(version);
  const bits: number[] = [];
  const push = (value: number, length: number): void => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4);
  push(bytes.length, byteCountBits(version));
  for (const byte of bytes) push(byte, 8);
  if (bits.length > capacityBits) throw new RangeError(`${bytes.length} bytes do not fit version ${version.version}-M`);
  push(0, Math.min(4, capacityBits - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  const out = new Uint8Array(capacityBits / 8);
  for (let i = 0; i < bits.length; i += 8) out[i / 8] = bits.slice(i, i + 8).reduce((byte, bit) => (byte << 1) | bit, 0);
  for (let i = bits.length / 8, pad = 0; i < out.length; i++, pad ^= 1) out[i] = PADS[pad]!;
  return out;
}

/** Data codewords split into the version's blocks, each followed by its parity. */
export function codewordBlocks(data: Uint8Array, version: QrVersion): Array<{ data: Uint8Array; parity: Uint8Array }> {
  let offset = 0;
  return version.blocks.map((length) => {
    const block = data.subarray(offset, offset + length);
    offset += length;
    return { data: block, parity: rsParity(block, version.ecPerBlock) };
  });
}

/**
 * The final sequence: the first data codeword of every block, then the second, …, then the
 * parity codewords the same way, so a smudge spread over the symbol hits many blocks a little
 * rather than one block beyond repair.
 */
export function interleavedCodewords(data: Uint8Array, version: QrVersion): Uint8Array {
  const blocks = codewordBlocks(data, version);
  const out: number[] = [];
  const longest = Math.max(...version.blocks);
  for (let i = 0; i < longest; i++) for (const block of blocks) if (i < block.data.length) out.push(block.data[i]!);
  for (let i = 0; i < version.ecPerBlock; i++) for (const block of blocks) out.push(block.parity[i]!);
  return Uint8Array.from(out);
}
