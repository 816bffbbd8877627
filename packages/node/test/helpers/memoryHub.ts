import type { PeerTransport } from '../../src/consensus/consensusDriver.js';

/**
 * An in-process network for several real nodes in one test: every message is delivered
 * asynchronously (never re-entrantly) to the other members; a member can be cut off and rejoined.
 */
export class MemoryHub {
  private readonly handlers = new Map<string, (peer: string, bytes: Uint8Array) => void>();
  private readonly isolated = new Set<string>();
  private readonly connected = new Map<string, Array<(peer: string) => void>>();
  readonly disconnects: Array<{ from: string; peer: string; reason: string }> = [];

  transport(id: string): PeerTransport {
    return {
      broadcast: (bytes) => {
        for (const peer of this.handlers.keys()) if (peer !== id) this.deliver(id, peer, bytes);
      },
      send: (peer, bytes) => this.deliver(id, peer, bytes),
      onMessage: (handler) => {
        this.handlers.set(id, handler);
      },
      disconnect: (peer, reason) => {
        this.disconnects.push({ from: id, peer, reason });
      },
      onPeerConnected: (handler) => {
        this.connected.set(id, [...(this.connected.get(id) ?? []), handler]);
      },
    };
  }

  isolate(id: string): void {
    this.isolated.add(id);
  }

  /** Back on the network: it and every member it reaches again see each other connect. */
  rejoin(id: string): void {
    this.isolated.delete(id);
    for (const peer of this.handlers.keys()) {
      if (peer === id || this.isolated.has(peer)) continue;
      setImmediate(() => {
        for (const handler of this.connected.get(id) ?? []) handler(peer);
        for (const handler of this.connected.get(peer) ?? []) handler(id);
      });
    }
  }

  leave(id: string): void {
    this.handlers.delete(id);
    this.connected.delete(id);
  }

  private deliver(from: string, to: string, bytes: Uint8Array): void {
    if (this.isolated.has(from) || this.isolated.has(to)) return;
    setImmediate(() => this.handlers.get(to)?.(from, bytes));
  }
}
