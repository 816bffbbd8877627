import type { PeerTransport } from '../../src/consensus/consensusDriver.js';

/**
 * An in-process network for several real nodes in one test: every message is delivered
 * asynchronously (never re-entrantly) to the other members; a member can be cut off and rejoined.
 */
export class MemoryHub {
  private readonly handlers = new Map<string, (peer: string, bytes: Uint8Array) => void>();
  private readonly isolated = new Set<string>();
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
    };
  }

  isolate(id: string): void {
    this.isolated.add(id);
  }

  rejoin(id: string): void {
    this.isolated.delete(id);
  }

  leave(id: string): void {
    this.handlers.delete(id);
  }

  private deliver(from: string, to: string, bytes: Uint8Array): void {
    if (this.isolated.has(from) || this.isolated.has(to)) return;
    setImmediate(() => this.handlers.get(to)?.(from, bytes));
  }
}
