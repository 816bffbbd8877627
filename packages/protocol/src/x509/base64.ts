import { XinlianError } from '../errors.js';

// Standard base64 (RFC 4648 section 4) with padding, written here: protocol code runs in browsers too.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map<string, number>([...ALPHABET].map((char, index) => [char, index]));

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[triple >> 18]! + ALPHABET[(triple >> 12) & 63]!;
    out += b === undefined ? '=' : ALPHABET[(triple >> 6) & 63]!;
    out += c === undefined ? '=' : ALPHABET[triple & 63]!;
  }
  return out;
}

/**
 * Strict: length a multiple of 4, padding only at the end, and the bits that padding discards must
 * be zero, so each byte string has exactly one accepted text. DECODE_ERROR otherwise.
 */
export function base64Decode(text: string): Uint8Array {
  const fail = (why: string): never => {
    throw new XinlianError('DECODE_ERROR', `malformed base64: ${why}`);
  };
  if (text.length % 4 !== 0) fail('length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let written = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let quad = 0;
    for (let j = 0; j < 4; j++) {
      const char = text[i + j]!;
      const isPad = char === '=' && last && j >= 4 - padding;
      const value = isPad ? 0 : VALUES.get(char);
      if (value === undefined) fail(`unexpected character at ${i + j}`);
      quad = (quad << 6) | value!;
    }
    if (last && padding === 2 && (quad & 0xffff) !== 0) fail('non-zero padding bits');
    if (last && padding === 1 && (quad & 0xff) !== 0) fail('non-zero padding bits');
    const triple = [(quad >> 16) & 0xff, (quad >> 8) & 0xff, quad & 0xff];
    for (const byte of triple.slice(0, last ? 3 - padding : 3)) out[written++] = byte;
  }
  return out;
}
