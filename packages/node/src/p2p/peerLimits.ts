import { XinlianError } from '@xinlian/protocol';

/** Every bound of the transport, per peer unless named otherwise (docs/spec/p2p.md, "Limits"). */
export interface PeerLimits {
  /** Largest frame (type byte + payload) once the peer is authenticated. */
  frameBytesMax: number;
  /** Largest frame before authentication: only a hello fits, so strangers cannot make us buffer much. */
  helloFrameBytesMax: number;
  /** TCP connect, TLS handshake and hello exchange must finish within this. */
  handshakeTimeoutMs: number;
  /** Frames queued for sending and not yet handed to the kernel; beyond it the peer is dropped. */
  sendQueueFramesMax: number;
  sendQueueBytesMax: number;
  /** Received frames: sustained rate and burst. Beyond it the peer is dropped (PEER_RATE_LIMITED). */
  receiveFramesPerSecond: number;
  receiveFramesBurst: number;
  /** Received bytes: sustained rate and burst (the burst must hold one frameBytesMax frame). */
  receiveBytesPerSecond: number;
  receiveBytesBurst: number;
  /** Authenticated peers at most (all directions together). */
  peersMax: number;
  /** Inbound connections still in their handshake, at most. */
  inboundHandshakesMax: number;
  /** Redial delay after a failure: doubles from min to max; reset when an open connection is lost (not refused). */
  reconnectDelayMsMin: number;
  reconnectDelayMsMax: number;
  /** A side that has sent nothing for this long sends a ping. */
  pingIntervalMs: number;
  /** A peer heard nothing from for this long is dropped (TIMEOUT): a partition, a frozen process. */
  peerSilenceMsMax: number;
}

export const DEFAULT_PEER_LIMITS: PeerLimits = {
  frameBytesMax: 16 * 1024 * 1024,
  helloFrameBytesMax: 8 * 1024,
  handshakeTimeoutMs: 5_000,
  sendQueueFramesMax: 10_000,
  sendQueueBytesMax: 64 * 1024 * 1024,
  receiveFramesPerSecond: 5_000,
  receiveFramesBurst: 10_000,
  receiveBytesPerSecond: 64 * 1024 * 1024,
  receiveBytesBurst: 64 * 1024 * 1024,
  peersMax: 64,
  inboundHandshakesMax: 16,
  reconnectDelayMsMin: 100,
  reconnectDelayMsMax: 10_000,
  pingIntervalMs: 2_000,
  peerSilenceMsMax: 10_000,
};

export function resolvePeerLimits(overrides: Partial<PeerLimits> = {}): PeerLimits {
  const limits = { ...DEFAULT_PEER_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new XinlianError('BAD_REQUEST', `p2p limit ${name} must be a positive integer, got ${String(value)}`);
  }
  const fail = (why: string): never => {
    throw new XinlianError('BAD_REQUEST', `p2p limits: ${why}`);
  };
  if (limits.frameBytesMax > 0xffffffff) fail('frameBytesMax must fit the u32 length prefix');
  if (limits.helloFrameBytesMax > limits.frameBytesMax) fail('helloFrameBytesMax exceeds frameBytesMax');
  // Otherwise a legal frame could never pass the byte bucket.
  if (limits.receiveBytesBurst < limits.frameBytesMax) fail('receiveBytesBurst must hold one frame of frameBytesMax');
  if (limits.sendQueueBytesMax < limits.frameBytesMax) fail('sendQueueBytesMax must hold one frame of frameBytesMax');
  if (limits.reconnectDelayMsMin > limits.reconnectDelayMsMax) fail('reconnectDelayMsMin exceeds reconnectDelayMsMax');
  // Two pings must fit in the silence allowed, or a healthy but idle peer would be dropped.
  if (limits.peerSilenceMsMax < 2 * limits.pingIntervalMs) fail('peerSilenceMsMax must be at least twice pingIntervalMs');
  return limits;
}
