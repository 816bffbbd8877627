// Big-endian integers for storage keys, so that LMDB's byte order is numeric order.

/** Big-endian u64 height: LMDB orders these keys by height. */
export function heightKey(height: number): Uint8Array {
  const out = new Uint8Array(8);
  writeU64(out, 0, height);
  return out;
}

export function writeU64(out: Uint8Array, offset: number, value: number): void {
  const high = Math.floor(value / 0x100000000);
  const low = value >>> 0;
  out[offset] = high >>> 24;
  out[offset + 1] = (high >>> 16) & 255;
  out[offset + 2] = (high >>> 8) & 255;
  out[offset + 3] = high & 255;
  out[offset + 4] = low >>> 24;
  out[offset + 5] = (low >>> 16) & 255;
  out[offset + 6] = (low >>> 8) & 255;
  out[offset + 7] = low & 255;
}

export function readU64(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(offset) * 0x100000000 + view.getUint32(offset + 4);
}
