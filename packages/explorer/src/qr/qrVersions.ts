// The symbol versions this encoder uses, at error correction level M (about 15 % of codewords
// recoverable, the usual level for printed codes): ISO/IEC 18004 Table 9 (codewords and blocks)
// and Annex E (alignment pattern centres), versions 1 to 10. Version 10 holds 213 bytes, enough
// for a Digital Link or an explorer URL.

export interface QrVersion {
  version: number;
  /** Side of the symbol in modules: 17 + 4 · version. */
  size: number;
  /** Error correction codewords of every block. */
  ecPerBlock: number;
  /** Data codewords of each block, shorter blocks first as the standard orders them. */
  blocks: readonly number[];
  /** Row and column coordinates of alignment pattern centres. */
  alignment: readonly number[];
}

const repeat = (count: number, length: number): number[] => Array.from({ length: count }, () => length);

/** Versions 1–10 at level M. */
export const QR_VERSIONS_M: readonly QrVersion[] = [
  { version: 1, ecPerBlock: 10, blocks: [16], alignment: [] },
  { version: 2, ecPerBlock: 16, blocks: [28], alignment: [6, 18] },
  { version: 3, ecPerBlock: 26, blocks: [44], alignment: [6, 22] },
  { version: 4, ecPerBlock: 18, blocks: repeat(2, 32), alignment: [6, 26] },
  { version: 5, ecPerBlock: 24, blocks: repeat(2, 43), alignment: [6, 30] },
  { version: 6, ecPerBlock: 16, blocks: repeat(4, 27), alignment: [6, 34] },
  { version: 7, ecPerBlock: 18, blocks: repeat(4, 31), alignment: [6, 22, 38] },
  { version: 8, ecPerBlock: 22, blocks: [...repeat(2, 38), ...repeat(2, 39)], alignment: [6, 24, 42] },
  { version: 9, ecPerBlock: 22, blocks: [...repeat(3, 36), ...repeat(2, 37)], alignment: [6, 26, 46] },
  { version: 10, ecPerBlock: 26, blocks: [...repeat(4, 43), 44], alignment: [6, 28, 50] },
].map((v) => ({ ...v, size: 17 + 4 * v.version }));

/** Data codewords of a version: the sum of its blocks. */
export function dataCodewords(version: QrVersion): number {
  return version.blocks.reduce((sum, n) => sum + n, 0);
}

/** Bits of the byte-mode character count: 8 up to version 9, 16 from version 10 (Table 3). */
export function byteCountBits(version: QrVersion): number {
  return version.version <= 9 ? 8 : 16;
}

/** The smallest version whose data codewords hold `byteLength` bytes in byte mode, or undefined. */
export function versionFor(byteLength: number): QrVersion | undefined {
  return QR_VERSIONS_M.find((v) => 4 + byteCountBits(v) + 8 * byteLength <= 8 * dataCodewords(v));
}
