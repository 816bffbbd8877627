import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, type RunningNode } from '../../src/xinlianNode.js';
import type { PeerTransport } from '../../src/consensus/consensusDriver.js';
import { MemoryHub } from '../helpers/memoryHub.js';
import { inProcessChain } from '../helpers/inProcessChain.js';

/** The first byte of a PeerMessage is its channel; 5 is syncReply (consensus/peerMessage.ts). */
const SYNC_REPLY_CHANNEL = 5;

async function until(what: string, deadlineMs: number, condition: () => boolean): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A node that is behind asks one peer for blocks. If that reply never comes (the peer died right
// then, or dropped the connection), the node must ask again: it used to wait for it for ever and
// never caught up.
test('a node behind catches up although its first sync reply is lost', { timeout: 60_000 }, async () => {
  const setup = await inProcessChain('lostsync');
  const nodes: RunningNode[] = [];
  try {
    const { nodeHomes } = setup;
    const hub = new MemoryHub();
    let dropped = 0;
    const lossy = (id: string): PeerTransport => {
      const inner = hub.transport(id);
      return {
        ...inner,
        send: (peer, bytes) => {
          if (peer === 'node3' && bytes[0] === SYNC_REPLY_CHANNEL && dropped === 0) {
            dropped += 1;
            return;
          }
          inner.send(peer, bytes);
        },
      };
    };
    hub.isolate('node3');
    for (const [i, home] of nodeHomes.entries()) nodes.push(await startNode({ home, transport: lossy(`node${i}`), apiPort: 0 }));
    const height = (i: number): number => nodes[i]!.services.height();
    await until('three validators commit 3 blocks without node3', 30_000, () => height(0) >= 3);
    assert.equal(height(3), 0);
    hub.rejoin('node3');
    await until('node3 catches up', 20_000, () => dropped === 1 && height(3) >= 3);
    assert.equal(dropped, 1, 'the first sync reply to node3 was lost');
  } finally {
    for (const node of nodes) await node.close();
    setup.remove();
  }
});
