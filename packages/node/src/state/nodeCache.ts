import type { StoredNode } from './stateRecords.js';

/**
 * Decoded nodes by hash. A node's content is fixed by its hash, so an entry can never go stale.
 * Bounded by two generations: when the young one fills up, the old one is dropped, which keeps
 * recently used nodes (the top of the tree, read by every block) at the cost of one Map per swap.
 */
export class NodeCache {
  private young = new Map<string, StoredNode>();
  private old = new Map<string, StoredNode>();

  constructor(private readonly generationSize: number) {}

  get(hash: Uint8Array): StoredNode | undefined {
    const id = cacheId(hash);
    const hit = this.young.get(id);
    if (hit !== undefined) return hit;
    const aged = this.old.get(id);
    if (aged !== undefined) this.setById(id, aged);
    return aged;
  }

  set(hash: Uint8Array, node: StoredNode): void {
    this.setById(cacheId(hash), node);
  }

  private setById(id: string, node: StoredNode): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, node);
  }
}

// latin1 maps each byte to one UTF-16 unit: the whole 32-byte hash, no collisions, fast to build.
function cacheId(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('latin1');
}
