import { fromUtf8 } from '../bytes.js';
import { XinlianError } from '../errors.js';

/**
 * Strict canonical reader, the inverse of Writer. Rejects truncation, trailing bytes, out-of-range
 * u64, booleans other than 0/1, invalid UTF-8 and lengths above the caller's limit, each as a
 * DECODE_ERROR. Because every rule is an exact inverse, no two byte strings decode to one value.
 */
export class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly input: Uint8Array) {
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  private need(size: number, what: string): void {
    if (this.offset + size > this.input.length) {
      throw new XinlianError('DECODE_ERROR', `truncated input reading ${what} at byte ${this.offset}`);
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.input[this.offset++]!;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  u64(what = 'u64'): number {
    this.need(8, what);
    const high = this.view.getUint32(this.offset);
    const low = this.view.getUint32(this.offset + 4);
    if (high > 0x1fffff) throw new XinlianError('DECODE_ERROR', `${what} exceeds 2^53-1`);
    this.offset += 8;
    return high * 0x100000000 + low;
  }

  bool(what = 'bool'): boolean {
    const value = this.u8(what);
    if (value > 1) throw new XinlianError('DECODE_ERROR', `${what} must be 0 or 1, got ${value}`);
    return value === 1;
  }

  fixed(size: number, what = 'bytes'): Uint8Array {
    this.need(size, what);
    const out = this.input.slice(this.offset, this.offset + size);
    this.offset += size;
    return out;
  }

  bytes(maxLength: number, what = 'bytes'): Uint8Array {
    const length = this.u32(`${what} length`);
    if (length > maxLength) {
      throw new XinlianError('DECODE_ERROR', `${what} length ${length} exceeds limit ${maxLength}`);
    }
    return this.fixed(length, what);
  }

  string(maxBytes: number, what = 'string'): string {
    const raw = this.bytes(maxBytes, what);
    try {
      return fromUtf8(raw);
    } catch {
      throw new XinlianError('DECODE_ERROR', `${what} is not valid UTF-8`);
    }
  }

  optional<T>(read: (reader: this) => T, what = 'optional'): T | undefined {
    return this.bool(what) ? read(this) : undefined;
  }

  list<T>(maxCount: number, read: (reader: this) => T, what = 'list'): T[] {
    const count = this.u32(`${what} count`);
    if (count > maxCount) {
      throw new XinlianError('DECODE_ERROR', `${what} count ${count} exceeds limit ${maxCount}`);
    }
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(read(this));
    return items;
  }

  /** Every decoder ends with this: trailing bytes would give a second encoding of one value. */
  end(what = 'value'): void {
    if (this.offset !== this.input.length) {
      throw new XinlianError(
        'DECODE_ERROR',
        `${this.input.length - this.offset} trailing bytes after ${what}`,
      );
    }
  }
}

/** Runs `read` over the whole input and insists that it consumed all of it. */
export function decodeAll<T>(input: Uint8Array, read: (reader: Reader) => T, what: string): T {
  const reader = new Reader(input);
  const value = read(reader);
  reader.end(what);
  return value;
}
