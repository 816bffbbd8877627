/**
 * SM3 hash (GM/T 0004-2012, GB/T 32905-2016) in plain TypeScript, so that the gm suite works in a
 * browser. The node uses OpenSSL's SM3 instead; both are checked against the standard's examples.
 */

const INITIAL_STATE = [
  0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
];
const BLOCK_BYTES = 64;

function rotl(x: number, n: number): number {
  const k = n & 31;
  return k === 0 ? x >>> 0 : ((x << k) | (x >>> (32 - k))) >>> 0;
}

function p0(x: number): number {
  return (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
}

function p1(x: number): number {
  return (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;
}

// T_j rotated left by j, precomputed once: the compression loop is the hot path.
const ROUND_CONSTANTS = Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j));

/** Incremental SM3; `sm3()` is the one-shot form. */
export class Sm3 {
  private readonly state = Uint32Array.from(INITIAL_STATE);
  private readonly buffer = new Uint8Array(BLOCK_BYTES);
  private readonly w = new Uint32Array(68);
  private buffered = 0;
  private totalBytes = 0;
  private finished = false;

  update(data: Uint8Array): this {
    if (this.finished) throw new Error('Sm3: update after digest');
    this.totalBytes += data.length;
    let offset = 0;
    if (this.buffered > 0) {
      const take = Math.min(BLOCK_BYTES - this.buffered, data.length);
      this.buffer.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      offset = take;
      if (this.buffered < BLOCK_BYTES) return this;
      this.compress(this.buffer, 0);
      this.buffered = 0;
    }
    for (; offset + BLOCK_BYTES <= data.length; offset += BLOCK_BYTES) this.compress(data, offset);
    this.buffer.set(data.subarray(offset), 0);
    this.buffered = data.length - offset;
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error('Sm3: digest called twice');
    this.finished = true;
    // Padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian integer.
    const bitLength = this.totalBytes * 8;
    const buffer = this.buffer;
    buffer[this.buffered++] = 0x80;
    if (this.buffered > BLOCK_BYTES - 8) {
      buffer.fill(0, this.buffered);
      this.compress(buffer, 0);
      this.buffered = 0;
    }
    buffer.fill(0, this.buffered);
    const view = new DataView(buffer.buffer, buffer.byteOffset, BLOCK_BYTES);
    view.setUint32(56, Math.floor(bitLength / 0x100000000));
    view.setUint32(60, bitLength >>> 0);
    this.compress(buffer, 0);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(4 * i, this.state[i]!);
    return out;
  }

  private compress(block: Uint8Array, offset: number): void {
    const w = this.w;
    for (let j = 0; j < 16; j++) {
      const i = offset + 4 * j;
      w[j] = ((block[i]! << 24) | (block[i + 1]! << 16) | (block[i + 2]! << 8) | block[i + 3]!) >>> 0;
    }
    for (let j = 16; j < 68; j++) {
      w[j] = (p1(w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15)) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!) >>> 0;
    }
    const s = this.state;
    let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!, f = s[5]!, g = s[6]!, h = s[7]!;
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(a, 12);
      const ss1 = rotl((a12 + e + ROUND_CONSTANTS[j]!) >>> 0, 7);
      const ss2 = (ss1 ^ a12) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (w[j]! ^ w[j + 4]!)) >>> 0;
      const tt2 = (gg + h + ss1 + w[j]!) >>> 0;
      d = c;
      c = rotl(b, 9);
      b = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = p0(tt2);
    }
    const next = [a, b, c, d, e, f, g, h];
    for (let i = 0; i < 8; i++) s[i] = s[i]! ^ next[i]!;
  }
}

export function sm3(data: Uint8Array): Uint8Array {
  return new Sm3().update(data).digest();
}
