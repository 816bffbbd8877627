import { P2P_FRAME_HEADER_BYTES, XinlianError } from '@xinlian/protocol';

export interface Frame {
  type: number;
  payload: Uint8Array;
}

/**
 * Cuts a byte stream into frames (docs/spec/p2p.md). Pull-based: the caller takes one frame at a
 * time and may change the size limit between frames (a small one before the peer is
 * authenticated). A length above the limit is refused as soon as its 4 header bytes arrive, so a
 * peer can never make us buffer more than one frame of the current limit.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private bufferedBytes = 0;
  /** Length of the frame whose header has been read, until its body is complete. */
  private pendingLength: number | undefined;

  constructor(public frameBytesMax: number) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  /** The next complete frame, or undefined until more bytes arrive. Throws for a bad length. */
  next(): Frame | undefined {
    if (this.pendingLength === undefined) {
      if (this.bufferedBytes < P2P_FRAME_HEADER_BYTES) return undefined;
      const header = this.take(P2P_FRAME_HEADER_BYTES);
      const length = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(0);
      if (length === 0) throw new XinlianError('DECODE_ERROR', 'empty frame (no type byte)');
      if (length > this.frameBytesMax) {
        throw new XinlianError('PAYLOAD_TOO_LARGE', `frame of ${length} bytes exceeds the limit of ${this.frameBytesMax}`, { frameBytes: length, frameBytesMax: this.frameBytesMax });
      }
      this.pendingLength = length;
    }
    if (this.bufferedBytes < this.pendingLength) return undefined;
    const body = this.take(this.pendingLength);
    this.pendingLength = undefined;
    return { type: body[0]!, payload: body.subarray(1) };
  }

  get bufferedByteCount(): number {
    return this.bufferedBytes;
  }

  /** Removes `size` bytes from the front, copying only when they span several chunks. */
  private take(size: number): Uint8Array {
    const first = this.chunks[0]!;
    let out: Uint8Array;
    if (first.length >= size) {
      out = first.subarray(0, size);
      if (first.length === size) this.chunks.shift();
      else this.chunks[0] = first.subarray(size);
    } else {
      out = new Uint8Array(size);
      let filled = 0;
      while (filled < size) {
        const chunk = this.chunks[0]!;
        const part = Math.min(chunk.length, size - filled);
        out.set(chunk.subarray(0, part), filled);
        filled += part;
        if (part === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(part);
      }
    }
    this.bufferedBytes -= size;
    return out;
  }
}
