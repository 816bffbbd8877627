import { assert } from '../assert.js';
import { compareBytes, concatBytes, utf8 } from '../bytes.js';
import { DER_TAG } from './derTag.js';
import { encodeObjectIdentifier } from './objectIdentifier.js';
import { formatDerTime } from './derTime.js';

/**
 * DER encoders: each returns one complete TLV. Every value has exactly one encoding (minimal
 * lengths, minimal integers, sorted SET OF), which is what makes signed certificate bytes stable.
 */
export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  assert(tag >= 0 && tag <= 0xff && (tag & 0x1f) !== 0x1f, `unsupported tag ${tag}`);
  return concatBytes(Uint8Array.of(tag), encodeLength(content.length), content);
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function derSequence(...items: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.sequence, concatBytes(...items));
}

/** SET OF: DER orders the encoded elements ascending (X.690 11.6). */
export function derSet(...items: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.set, concatBytes(...[...items].sort(compareBytes)));
}

/** A non-negative INTEGER from its big-endian magnitude (leading zeros are dropped). */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let content = magnitude.subarray(start);
  if (content.length === 0) content = Uint8Array.of(0);
  // A set top bit would read as negative, so a zero sign byte goes in front.
  if ((content[0]! & 0x80) !== 0) content = concatBytes(Uint8Array.of(0), content);
  return derTlv(DER_TAG.integer, content);
}

export function derSmallInteger(value: number): Uint8Array {
  assert(Number.isSafeInteger(value) && value >= 0, `not a small non-negative integer: ${value}`);
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return derUnsignedInteger(Uint8Array.from(bytes));
}

/** DER allows only 0xff for TRUE. */
export function derBoolean(value: boolean): Uint8Array {
  return derTlv(DER_TAG.boolean, Uint8Array.of(value ? 0xff : 0x00));
}

export function derNull(): Uint8Array {
  return derTlv(DER_TAG.null, new Uint8Array(0));
}

export function derObjectIdentifier(dotted: string): Uint8Array {
  return derTlv(DER_TAG.objectIdentifier, encodeObjectIdentifier(dotted));
}

/** A BIT STRING holding whole octets (keys, signatures). */
export function derBitString(octets: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.bitString, concatBytes(Uint8Array.of(0), octets));
}

/**
 * A named bit list (X.690 11.2.2): bit i is bit (7 - i % 8) of octet i / 8, and trailing zero bits
 * are dropped, so the mask has one encoding.
 */
export function derNamedBits(mask: number): Uint8Array {
  assert(Number.isInteger(mask) && mask > 0 && mask < 1 << 16, `bad named-bit mask ${mask}`);
  const highest = 31 - Math.clz32(mask);
  const octets = new Uint8Array((highest >> 3) + 1);
  for (let bit = 0; bit <= highest; bit++) {
    if ((mask >> bit) & 1) octets[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return derTlv(DER_TAG.bitString, concatBytes(Uint8Array.of(7 - (highest & 7)), octets));
}

export function derOctetString(content: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.octetString, content);
}

export function derUtf8String(text: string): Uint8Array {
  return derTlv(DER_TAG.utf8String, utf8(text));
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, always Z. */
export function derTime(timeMs: number): Uint8Array {
  const { text, generalized } = formatDerTime(timeMs);
  return derTlv(generalized ? DER_TAG.generalizedTime : DER_TAG.utcTime, utf8(text));
}

/** [n] EXPLICIT: a constructed context tag around one complete element. */
export function derExplicit(n: number, element: Uint8Array): Uint8Array {
  return derTlv(0xa0 | n, element);
}
