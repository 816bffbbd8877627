import { fromUtf8, toHex } from '../bytes.js';
import { XinlianError } from '../errors.js';
import { DER_TAG } from './derTag.js';
import { decodeObjectIdentifier } from './objectIdentifier.js';
import { parseDerTime } from './derTime.js';

export interface DerElement {
  tag: number;
  content: Uint8Array;
  /** The whole TLV, as signed (a TBSCertificate is verified over exactly these bytes). */
  encoded: Uint8Array;
}

function fail(message: string): never {
  throw new XinlianError('DECODE_ERROR', message);
}

/**
 * A strict DER reader over the elements of one constructed value (or a whole input). It accepts
 * only DER: definite minimal lengths, low tag numbers, minimal INTEGERs, 0x00/0xff BOOLEANs. Every
 * failure is a DECODE_ERROR naming what was being read; nothing else escapes.
 */
export class DerReader {
  private offset = 0;

  constructor(private readonly input: Uint8Array, private readonly what: string) {}

  get done(): boolean {
    return this.offset >= this.input.length;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.input[this.offset];
  }

  read(what: string): DerElement {
    const start = this.offset;
    const tag = this.input[start];
    if (tag === undefined) fail(`${this.what}: missing ${what}`);
    if ((tag & 0x1f) === 0x1f) fail(`${this.what}: high tag number in ${what}`);
    let cursor = start + 1;
    const first = this.input[cursor++];
    if (first === undefined) fail(`${this.what}: truncated length of ${what}`);
    let length = first;
    if (first >= 0x80) {
      const count = first & 0x7f;
      // 0x80 is BER's indefinite length; over 4 octets would exceed any input we accept.
      if (count === 0 || count > 4) fail(`${this.what}: unsupported length form in ${what}`);
      if (cursor + count > this.input.length) fail(`${this.what}: truncated length of ${what}`);
      if (this.input[cursor] === 0) fail(`${this.what}: non-minimal length in ${what}`);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.input[cursor++]!;
      if (length < 0x80) fail(`${this.what}: non-minimal length in ${what}`);
    }
    if (cursor + length > this.input.length) fail(`${this.what}: truncated ${what}`);
    this.offset = cursor + length;
    return { tag, content: this.input.subarray(cursor, cursor + length), encoded: this.input.subarray(start, cursor + length) };
  }

  expect(tag: number, what: string): DerElement {
    const element = this.read(what);
    if (element.tag !== tag) fail(`${this.what}: expected tag 0x${tag.toString(16)} for ${what}, got 0x${element.tag.toString(16)}`);
    return element;
  }

  /** Reads the next element only when it carries `tag` (OPTIONAL and DEFAULT fields). */
  optional(tag: number, what: string): DerElement | undefined {
    return this.peekTag() === tag ? this.expect(tag, what) : undefined;
  }

  /** A reader over the content of the next constructed element with `tag` (SEQUENCE by default). */
  enter(what: string, tag: number = DER_TAG.sequence): DerReader {
    return new DerReader(this.expect(tag, what).content, what);
  }

  end(): void {
    if (!this.done) fail(`${this.what}: ${this.input.length - this.offset} unexpected trailing bytes`);
  }

  /** INTEGER content, checked minimal; callers interpret sign and size. */
  integerBytes(what: string): Uint8Array {
    const { content } = this.expect(DER_TAG.integer, what);
    checkMinimalInteger(content, `${this.what}: ${what}`);
    return content;
  }

  /** A non-negative INTEGER that fits a safe JS number. */
  smallInteger(what: string, max: number): number {
    const content = this.integerBytes(what);
    if ((content[0]! & 0x80) !== 0) fail(`${this.what}: negative ${what}`);
    if (content.length > 7) fail(`${this.what}: ${what} too large`);
    let value = 0;
    for (const byte of content) value = value * 256 + byte;
    if (value > max) fail(`${this.what}: ${what} ${value} exceeds ${max}`);
    return value;
  }

  boolean(what: string): boolean {
    const { content } = this.expect(DER_TAG.boolean, what);
    if (content.length !== 1 || (content[0] !== 0 && content[0] !== 0xff)) fail(`${this.what}: non-DER BOOLEAN ${what}`);
    return content[0] === 0xff;
  }

  objectIdentifier(what: string): string {
    return decodeObjectIdentifier(this.expect(DER_TAG.objectIdentifier, what).content);
  }

  /** A BIT STRING of whole octets (keys, signatures): the unused-bits octet must be 0. */
  bitStringOctets(what: string): Uint8Array {
    const { content } = this.expect(DER_TAG.bitString, what);
    if (content.length === 0 || content[0] !== 0) fail(`${this.what}: ${what} is not a whole number of octets`);
    return content.subarray(1);
  }

  /** A named bit list as a mask (bit i = 1 << i); rejects the non-DER forms derNamedBits never makes. */
  namedBits(what: string): number {
    const { content } = this.expect(DER_TAG.bitString, what);
    const unused = content[0];
    if (unused === undefined || unused > 7) fail(`${this.what}: malformed ${what}`);
    const octets = content.subarray(1);
    if (octets.length === 0 || octets.length > 2) fail(`${this.what}: ${what} has ${octets.length} octets`);
    const last = octets[octets.length - 1]!;
    // The last used bit must be set (trailing zeros are removed in DER) and unused bits are zero.
    if (((last >> unused) & 1) !== 1 || (last & ((1 << unused) - 1)) !== 0) fail(`${this.what}: non-DER ${what}`);
    let mask = 0;
    octets.forEach((octet, index) => {
      for (let bit = 0; bit < 8; bit++) if (octet & (0x80 >> bit)) mask |= 1 << (index * 8 + bit);
    });
    return mask;
  }

  octetString(what: string): Uint8Array {
    return this.expect(DER_TAG.octetString, what).content;
  }

  null(what: string): void {
    if (this.expect(DER_TAG.null, what).content.length !== 0) fail(`${this.what}: non-empty NULL ${what}`);
  }

  /** UTF8String or PrintableString (the two directory string kinds RFC 5280 asks us to accept). */
  directoryString(what: string): string {
    const element = this.read(what);
    if (element.tag === DER_TAG.utf8String) {
      try {
        return fromUtf8(element.content);
      } catch {
        return fail(`${this.what}: invalid UTF-8 in ${what}`);
      }
    }
    if (element.tag === DER_TAG.printableString) {
      const text = latin1(element.content);
      if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) fail(`${this.what}: invalid PrintableString ${what}`);
      return text;
    }
    return fail(`${this.what}: ${what} is not a UTF8String or PrintableString (tag 0x${element.tag.toString(16)})`);
  }

  /** A Time (UTCTime or GeneralizedTime) in ms since the Unix epoch. */
  time(what: string): number {
    const element = this.read(what);
    const generalized = element.tag === DER_TAG.generalizedTime;
    if (!generalized && element.tag !== DER_TAG.utcTime) fail(`${this.what}: ${what} is not a time`);
    return parseDerTime(latin1(element.content), generalized);
  }
}

export function checkMinimalInteger(content: Uint8Array, what: string): void {
  if (content.length === 0) fail(`${what}: empty INTEGER`);
  if (content.length > 1) {
    const [a, b] = [content[0]!, content[1]!];
    if ((a === 0x00 && b < 0x80) || (a === 0xff && b >= 0x80)) fail(`${what}: non-minimal INTEGER ${toHex(content.subarray(0, 4))}…`);
  }
}

// Byte-per-character text for the ASCII-only string kinds (no spread: inputs may be long).
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}
