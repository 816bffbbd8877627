import { XinlianError, type Genesis } from '@xinlian/protocol';
import type { PeerConnection } from './peerConnection.js';

export interface PeerInfo {
  /** Hex of the suite hash of the peer's node certificate. */
  id: string;
  /** The certificate's common name, e.g. "node1.org2". */
  name: string;
  org: string;
  /** The validator name in genesis (e.g. "node1") when the peer holds a validator's key. */
  validator: string | undefined;
  /** host:port we dialed, or the peer's source address for inbound connections. */
  address: string;
  direction: 'inbound' | 'outbound';
  connectedSinceMs: number;
}

/**
 * The authenticated connections, one per peer id. When two nodes dial each other at once, both
 * keep the connection dialed by the node with the smaller id, so they agree without talking;
 * between two connections from the same dialer the newer wins (the older one is usually dead).
 */
export class PeerTable {
  private readonly byId = new Map<string, PeerConnection>();
  private readonly validatorsByKey = new Map<string, { name: string; org: string }>();

  constructor(private readonly localId: string, genesis: Genesis, private readonly peersMax: number) {
    for (const validator of genesis.validators) this.validatorsByKey.set(validator.publicKey, { name: validator.name, org: validator.org });
  }

  has(peerId: string): boolean {
    return this.byId.has(peerId);
  }

  get(peerId: string): PeerConnection | undefined {
    return this.byId.get(peerId);
  }

  connections(): PeerConnection[] {
    return [...this.byId.values()];
  }

  /** Registers an open connection; returns the one it replaces. Throws when it loses or the table is full. */
  add(connection: PeerConnection): PeerConnection | undefined {
    const id = connection.peer!.id;
    const existing = this.byId.get(id);
    if (existing === undefined) {
      if (this.byId.size >= this.peersMax) throw new XinlianError('UNAVAILABLE', `already connected to ${this.peersMax} peers`);
      this.byId.set(id, connection);
      return undefined;
    }
    const dialerOf = (c: PeerConnection): string => (c.side === 'dialer' ? this.localId : id);
    const newDialer = dialerOf(connection);
    const oldDialer = dialerOf(existing);
    if (newDialer === oldDialer || newDialer < oldDialer) {
      this.byId.set(id, connection);
      return existing;
    }
    throw new XinlianError('ALREADY_EXISTS', 'already connected to this peer by a connection that both sides keep');
  }

  /** True when this connection was the registered one. */
  remove(connection: PeerConnection): boolean {
    const id = connection.peer?.id;
    if (id === undefined || this.byId.get(id) !== connection) return false;
    this.byId.delete(id);
    return true;
  }

  info(connection: PeerConnection): PeerInfo {
    const peer = connection.peer!;
    const validator = this.validatorsByKey.get(Buffer.from(peer.member.publicKey).toString('hex'));
    return {
      id: peer.id,
      name: peer.member.commonName,
      org: peer.member.org,
      validator: validator !== undefined && validator.org === peer.member.org ? validator.name : undefined,
      address: connection.address,
      direction: connection.side === 'dialer' ? 'outbound' : 'inbound',
      connectedSinceMs: connection.connectedSinceMs!,
    };
  }

  list(): PeerInfo[] {
    return [...this.byId.values()].map((connection) => this.info(connection));
  }
}
