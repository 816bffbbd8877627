import type { XinlianError } from '@xinlian/protocol';
import type { PeerLimits } from './peerLimits.js';

export interface PeerAddress {
  host: string;
  port: number;
}

export interface PeerDialerHooks {
  /** Opens a connection to the address; the network reports its outcome back to the dialer. */
  dial(dialer: PeerDialer): void;
  /** Whether a peer is connected, by either direction. */
  isConnected(peerId: string): boolean;
}

/**
 * Keeps one configured address connected: dials, and after a failure waits reconnectDelayMsMin,
 * doubling up to reconnectDelayMsMax, until a handshake succeeds. It stays idle while the node at
 * that address is connected by any connection (for instance the one it dialed to us), so two nodes
 * that both list each other do not fight over duplicates; it gives up on an address that is us.
 */
export class PeerDialer {
  /** The id of the node found at this address, once a handshake told us. */
  peerId: string | undefined;
  private dialing = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private isSelf = false;

  constructor(readonly address: PeerAddress, private readonly limits: PeerLimits, private readonly hooks: PeerDialerHooks) {}

  get label(): string {
    return `${this.address.host}:${this.address.port}`;
  }

  start(): void {
    this.dialNow();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Our connection authenticated the node at this address. */
  opened(peerId: string): void {
    this.peerId = peerId;
  }

  /**
   * Our connection ended (refused, failed, duplicate, or lost after being open). A connection that
   * was open and is lost resets the backoff; one refused, including one the peer refuses just after
   * we accepted its hello (PEER_AUTH_FAILED: our certificate was revoked, our organisation removed),
   * doubles it, so that a node its peers no longer accept does not redial them in a tight loop.
   */
  closed(reason: XinlianError, wasOpen: boolean): void {
    this.dialing = false;
    if (reason.code === 'PEER_AUTH_FAILED' && reason.details?.['reason'] === 'self') this.isSelf = true;
    if (!wasOpen || reason.code === 'PEER_AUTH_FAILED') this.failures++;
    else this.failures = 0;
    this.schedule();
  }

  /** Some connection to `peerId` went away: if it is the node at our address, dial again. */
  peerLost(peerId: string): void {
    if (peerId === this.peerId) this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.isSelf || this.dialing || this.timer !== undefined) return;
    const { reconnectDelayMsMin, reconnectDelayMsMax } = this.limits;
    const delayMs = Math.min(reconnectDelayMsMax, reconnectDelayMsMin * 2 ** Math.min(this.failures, 30));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dialNow();
    }, delayMs);
  }

  private dialNow(): void {
    if (this.stopped || this.isSelf || this.dialing) return;
    if (this.peerId !== undefined && this.hooks.isConnected(this.peerId)) return;
    this.dialing = true;
    this.hooks.dial(this);
  }
}
