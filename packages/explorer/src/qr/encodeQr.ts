// A QR code for a short text (a URL): byte mode, error correction level M, the smallest of
// versions 1–10 that holds it, and the mask with the lowest penalty (ISO/IEC 18004 §7.1's steps).
import { interleavedCodewords, byteModeData } from './qrCodewords.js';
import { functionPatterns, maskedSymbol, placeCodewords } from './qrMatrix.js';
import { QR_MASKS } from './qrMasks.js';
import { qrPenalty } from './qrPenalty.js';
import { versionFor } from './qrVersions.js';

export interface QrCode {
  version: number;
  /** Modules per side, without the quiet zone. */
  size: number;
  mask: number;
  /** Row-major: dark[y][x]. */
  dark: boolean[][];
}

/** Longest text, in UTF-8 bytes, that fits (version 10-M). */
export const QR_BYTES_MAX = 213;

/** Encodes `text` as UTF-8; `mask` forces a mask (tests), otherwise the best is chosen. Throws RangeError when too long. */
export function encodeQr(text: string, mask?: number): QrCode {
  const bytes = new TextEncoder().encode(text);
  const version = versionFor(bytes.length);
  if (version === undefined) throw new RangeError(`${bytes.length} bytes are more than a version 10-M QR code holds (${QR_BYTES_MAX})`);
  const grid = functionPatterns(version);
  placeCodewords(grid, interleavedCodewords(byteModeData(bytes, version), version));
  const masks = mask === undefined ? QR_MASKS.map((_, m) => m) : [mask];
  let best: QrCode | undefined;
  let bestScore = Infinity;
  for (const m of masks) {
    const dark = maskedSymbol(grid, m);
    const score = masks.length === 1 ? 0 : qrPenalty(dark);
    if (score < bestScore) {
      best = { version: version.version, size: version.size, mask: m, dark };
      bestScore = score;
    }
  }
  return best!;
}
