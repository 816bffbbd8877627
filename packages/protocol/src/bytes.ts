// Byte helpers on plain Uint8Array so that protocol code runs unchanged in browsers.

const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lower-case hex. Joins an array so the result is one flat string, not a rope of small pieces. */
export function toHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX_PAIRS[bytes[i]!]!;
  return parts.join('');
}

/** Strict: lower- or upper-case hex, even length, nothing else. Returns undefined when malformed. */
export function fromHexOrUndefined(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function fromHex(hex: string): Uint8Array {
  const out = fromHexOrUndefined(hex);
  if (out === undefined) throw new TypeError(`not a hex string: ${hex.slice(0, 40)}`);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Lexicographic byte order (shorter prefix first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

export function hasPrefix(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * The first byte string after every string that starts with `prefix`, the exclusive end of a
 * prefix scan. The prefix must hold a byte below 0xff.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  let i = prefix.length - 1;
  while (prefix[i] === 0xff) i--;
  if (i < 0) throw new RangeError('a prefix of only 0xff bytes has no end');
  const end = prefix.slice(0, i + 1);
  end[i]! += 1;
  return end;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Throws TypeError on invalid UTF-8 (no replacement characters: one string, one encoding). */
export function fromUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}
