import { utf8 } from '../bytes.js';

/**
 * Canonical binary writer (docs/spec/encoding.md): big-endian fixed-width integers, u32 length
 * prefixes, no optional padding. Each value has exactly one encoding.
 */
export class Writer {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(size: number): void {
    if (this.length + size <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + size) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    checkInteger(value, 0xff);
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  u16(value: number): this {
    checkInteger(value, 0xffff);
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    checkInteger(value, 0xffffffff);
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
    return this;
  }

  /** u64 on the wire; values are limited to Number.MAX_SAFE_INTEGER so they stay exact in JS. */
  u64(value: number): this {
    checkInteger(value, Number.MAX_SAFE_INTEGER);
    this.reserve(8);
    this.view.setUint32(this.length, Math.floor(value / 0x100000000));
    this.view.setUint32(this.length + 4, value >>> 0);
    this.length += 8;
    return this;
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0);
  }

  /** Exactly `size` bytes, no prefix (hashes, keys of fixed length). */
  fixed(bytes: Uint8Array, size: number): this {
    if (bytes.length !== size) throw new RangeError(`expected ${size} bytes, got ${bytes.length}`);
    this.reserve(size);
    this.buffer.set(bytes, this.length);
    this.length += size;
    return this;
  }

  /** u32 length prefix, then the bytes. */
  bytes(bytes: Uint8Array): this {
    this.u32(bytes.length);
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /**
   * UTF-8 of `text`. A lone UTF-16 surrogate has no UTF-8 form: TextEncoder would silently write
   * U+FFFD, so two different strings would share one encoding and the decoded value would differ
   * from what was signed. Reject it instead.
   */
  string(text: string): this {
    if (LONE_SURROGATE.test(text)) throw new RangeError('string contains a lone UTF-16 surrogate');
    return this.bytes(utf8(text));
  }

  optional<T>(value: T | undefined, write: (writer: this, value: T) => void): this {
    if (value === undefined) return this.u8(0);
    this.u8(1);
    write(this, value);
    return this;
  }

  list<T>(items: readonly T[], write: (writer: this, item: T) => void): this {
    this.u32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

// With the u flag a well-formed surrogate pair is one code point outside Cs, so only lone ones match.
const LONE_SURROGATE = /\p{Cs}/u;

function checkInteger(value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`integer out of range [0, ${max}]: ${value}`);
  }
}
