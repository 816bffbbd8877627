import { assert } from '../assert.js';

/**
 * The transport's frame (docs/spec/p2p.md): u32 length L, then L bytes = u8 type || payload.
 * Types below P2P_APPLICATION_TYPE_MIN belong to the transport itself; the rest carry the
 * application's messages (consensus, gossip, sync), which the transport passes on unread.
 */
export const P2P_FRAME_TYPE = {
  /** The first frame each side sends: who it is, bound to the TLS session. */
  hello: 0,
  /** The last frame before a side closes: why (an error code). */
  goodbye: 1,
  /** Empty; sent when a side has sent nothing for pingIntervalMs, so silence means a dead link. */
  ping: 2,
} as const;

export const P2P_APPLICATION_TYPE_MIN = 16;
export const P2P_FRAME_TYPE_MAX = 255;
/** The u32 length prefix. */
export const P2P_FRAME_HEADER_BYTES = 4;

export function isApplicationFrameType(type: number): boolean {
  return Number.isInteger(type) && type >= P2P_APPLICATION_TYPE_MIN && type <= P2P_FRAME_TYPE_MAX;
}

/** Length prefix, type byte, payload, in one buffer so that a frame goes out in one write. */
export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  assert(Number.isInteger(type) && type >= 0 && type <= P2P_FRAME_TYPE_MAX, `frame type ${type} out of range`);
  const frame = new Uint8Array(P2P_FRAME_HEADER_BYTES + 1 + payload.length);
  new DataView(frame.buffer).setUint32(0, 1 + payload.length);
  frame[P2P_FRAME_HEADER_BYTES] = type;
  frame.set(payload, P2P_FRAME_HEADER_BYTES + 1);
  return frame;
}
