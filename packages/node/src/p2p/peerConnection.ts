import type { TLSSocket } from 'node:tls';
import {
  AssertionFailed, decodeGoodbye, encodeFrame, encodeGoodbye, P2P_APPLICATION_TYPE_MIN, P2P_EXPORTER_BYTES,
  P2P_EXPORTER_LABEL, P2P_FRAME_TYPE, XinlianError, type MembershipVerifier, type P2pSide,
} from '@xinlian/protocol';
import { FrameDecoder, type Frame } from './frameDecoder.js';
import { buildHello, verifyPeerHello, type AuthenticatedPeer, type LocalIdentity } from './peerHello.js';
import type { PeerLimits } from './peerLimits.js';
import { TokenBucket } from './tokenBucket.js';

export const P2P_ALPN = 'xinlian-p2p/1';
/** After we close, how long the peer has to finish its side before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

export interface PeerConnectionContext {
  local: LocalIdentity;
  membership: MembershipVerifier;
  limits: PeerLimits;
  nowMs: () => number;
}

export interface PeerConnectionHooks {
  /** The peer is authenticated. Throwing a XinlianError (duplicate, too many peers) closes it. */
  onOpen(connection: PeerConnection): void;
  /** An application frame; a XinlianError thrown here disconnects the peer with that code. */
  onMessage(connection: PeerConnection, type: number, payload: Uint8Array): void;
  /** Called once. `wasOpen` tells a lost peer from a refused handshake. */
  onClose(connection: PeerConnection, reason: XinlianError, wasOpen: boolean): void;
}

type State = 'handshake' | 'open' | 'closed';

/**
 * One TLS connection to another node: hello exchange, then framed application messages, with the
 * receive rate limit and the bounded send queue. Every failure closes the connection with a typed
 * reason (sent to the peer in a goodbye frame when we decide it) and never throws to the socket.
 */
export class PeerConnection {
  private state: State = 'handshake';
  private readonly decoder: FrameDecoder;
  private exporterValue: Uint8Array | undefined;
  private framesBucket: TokenBucket | undefined;
  private bytesBucket: TokenBucket | undefined;
  private queuedFrames = 0;
  private lastReceivedMs = 0;
  private lastSentMs = 0;
  peer: AuthenticatedPeer | undefined;
  connectedSinceMs: number | undefined;
  /** Resolves when the socket is fully closed. */
  readonly closed: Promise<void>;

  constructor(
    readonly socket: TLSSocket,
    readonly side: P2pSide,
    readonly address: string,
    private readonly context: PeerConnectionContext,
    private readonly hooks: PeerConnectionHooks,
  ) {
    this.decoder = new FrameDecoder(context.limits.helloFrameBytesMax);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    // One timer covers TCP connect, TLS handshake and the hello exchange; cleared once open.
    socket.setTimeout(context.limits.handshakeTimeoutMs);
    socket.on('timeout', () => {
      if (this.state === 'handshake') this.close(new XinlianError('TIMEOUT', `no authenticated hello within ${context.limits.handshakeTimeoutMs} ms`));
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.close(new XinlianError('UNAVAILABLE', `connection error: ${error.message}`), false));
    socket.on('end', () => this.close(new XinlianError('UNAVAILABLE', 'peer closed the connection'), false));
    socket.on('close', () => this.close(new XinlianError('UNAVAILABLE', 'connection closed'), false));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Call once TLS is up: sends our hello, bound to this session. */
  begin(): void {
    if (this.state !== 'handshake') return;
    if (this.socket.getProtocol() !== 'TLSv1.3' || this.socket.alpnProtocol !== P2P_ALPN) {
      this.close(new XinlianError('PEER_AUTH_FAILED', `peer negotiated ${String(this.socket.getProtocol())} / ALPN ${String(this.socket.alpnProtocol)}; TLS 1.3 and ${P2P_ALPN} are required`, { reason: 'tls' }));
      return;
    }
    // Not counted in the send queue, which bounds application frames only.
    this.socket.write(encodeFrame(P2P_FRAME_TYPE.hello, buildHello(this.context.local, this.side, this.exporter())));
  }

  /**
   * Queues an application frame. False when the connection is not open; a full queue drops the
   * peer (PEER_QUEUE_FULL) rather than silently losing messages in the middle of a stream.
   */
  send(type: number, payload: Uint8Array): boolean {
    if (this.state !== 'open') return false;
    if (payload.length + 1 > this.context.limits.frameBytesMax) {
      throw new XinlianError('PAYLOAD_TOO_LARGE', `message of ${payload.length} bytes exceeds frameBytesMax ${this.context.limits.frameBytesMax}`);
    }
    const frame = encodeFrame(type, payload);
    const { sendQueueFramesMax, sendQueueBytesMax } = this.context.limits;
    if (this.queuedFrames + 1 > sendQueueFramesMax || this.socket.writableLength + frame.length > sendQueueBytesMax) {
      this.close(new XinlianError('PEER_QUEUE_FULL', `send queue full (${this.queuedFrames} frames, ${this.socket.writableLength} bytes): peer too slow`, {
        queuedFrames: this.queuedFrames, queuedBytes: this.socket.writableLength,
      }));
      return false;
    }
    this.write(frame);
    return true;
  }

  /** Closes with a reason; `tellPeer` sends it in a goodbye frame first (our decision, not theirs). */
  close(reason: XinlianError, tellPeer = true): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (tellPeer && this.socket.writable) {
      this.socket.write(encodeFrame(P2P_FRAME_TYPE.goodbye, encodeGoodbye({ code: reason.code, message: reason.message })));
    }
    this.socket.end();
    const grace = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
    grace.unref();
    this.socket.once('close', () => clearTimeout(grace));
    this.hooks.onClose(this, reason, wasOpen);
  }

  /**
   * Liveness, called periodically by the network: drops a peer silent for peerSilenceMsMax and
   * pings one we have not written to for pingIntervalMs (TCP alone would keep a partitioned
   * connection "open" for many minutes).
   */
  tick(): void {
    if (this.state !== 'open') return;
    const { limits, nowMs } = this.context;
    const now = nowMs();
    if (now - this.lastReceivedMs > limits.peerSilenceMsMax) {
      this.close(new XinlianError('TIMEOUT', `nothing received from the peer for ${now - this.lastReceivedMs} ms (limit ${limits.peerSilenceMsMax} ms)`));
    } else if (now - this.lastSentMs >= limits.pingIntervalMs) {
      this.write(encodeFrame(P2P_FRAME_TYPE.ping, new Uint8Array(0)));
    }
  }

  private write(frame: Uint8Array): void {
    this.lastSentMs = this.context.nowMs();
    this.queuedFrames++;
    this.socket.write(frame, () => {
      this.queuedFrames--;
    });
  }

  private exporter(): Uint8Array {
    // Both ends derive the same value from the TLS 1.3 exporter secret of this connection.
    this.exporterValue ??= new Uint8Array(this.socket.exportKeyingMaterial(P2P_EXPORTER_BYTES, P2P_EXPORTER_LABEL, Buffer.alloc(0)));
    return this.exporterValue;
  }

  private receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    try {
      // A frame may close the connection; nothing after it is read.
      for (let frame = this.decoder.next(); frame !== undefined; frame = this.isClosed() ? undefined : this.decoder.next()) {
        this.handle(frame);
      }
    } catch (error) {
      if (error instanceof AssertionFailed) throw error;
      // Anything else from peer input is the peer's problem, never a way to stop this node.
      this.close(error instanceof XinlianError ? error : new XinlianError('INTERNAL', `handling a peer frame failed: ${(error as Error).message}`));
    }
  }

  private handle(frame: Frame): void {
    if (frame.type === P2P_FRAME_TYPE.goodbye) {
      const goodbye = decodeGoodbye(frame.payload);
      this.close(new XinlianError(goodbye.code, `peer closed: ${goodbye.message}`, { remote: true }), false);
      return;
    }
    if (this.state === 'handshake') {
      if (frame.type !== P2P_FRAME_TYPE.hello) throw new XinlianError('DECODE_ERROR', `expected a hello, got frame type ${frame.type}`);
      this.authenticate(frame.payload);
      return;
    }
    const isPing = frame.type === P2P_FRAME_TYPE.ping;
    if (frame.type < P2P_APPLICATION_TYPE_MIN && !isPing) throw new XinlianError('DECODE_ERROR', `unexpected transport frame type ${frame.type} after the handshake`);
    if (isPing && frame.payload.length !== 0) throw new XinlianError('DECODE_ERROR', 'a ping carries no payload');
    if (!this.framesBucket!.take(1) || !this.bytesBucket!.take(frame.payload.length + 1)) {
      throw new XinlianError('PEER_RATE_LIMITED', 'peer exceeds its receive rate limit', {
        framesPerSecond: this.context.limits.receiveFramesPerSecond, bytesPerSecond: this.context.limits.receiveBytesPerSecond,
      });
    }
    this.lastReceivedMs = this.context.nowMs();
    if (!isPing) this.hooks.onMessage(this, frame.type, frame.payload);
  }

  private authenticate(payload: Uint8Array): void {
    const { local, membership, limits, nowMs } = this.context;
    const peerSide: P2pSide = this.side === 'dialer' ? 'listener' : 'dialer';
    this.peer = verifyPeerHello(local, membership, payload, peerSide, this.exporter(), nowMs());
    this.state = 'open';
    this.connectedSinceMs = nowMs();
    this.lastReceivedMs = this.connectedSinceMs;
    this.lastSentMs = this.connectedSinceMs;
    this.socket.setTimeout(0);
    this.decoder.frameBytesMax = limits.frameBytesMax;
    this.framesBucket = new TokenBucket(limits.receiveFramesPerSecond, limits.receiveFramesBurst, nowMs);
    this.bytesBucket = new TokenBucket(limits.receiveBytesPerSecond, limits.receiveBytesBurst, nowMs);
    this.hooks.onOpen(this);
  }
}
