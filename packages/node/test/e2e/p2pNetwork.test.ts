import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '@xinlian/protocol';
import { collect, makeChain, startMesh } from './p2pTestKit.js';

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: three nodes from initChain connect, exchange messages both ways, and broadcast reaches all`, async (t) => {
    const chain = await makeChain(suite, 3);
    t.after(() => chain.remove());
    const nodes = await startMesh(chain, 3);
    t.after(() => Promise.all(nodes.map((node) => node.network.stop())));
    const [a, b, c] = nodes.map((node) => node.network) as [typeof nodes[0]['network'], typeof nodes[0]['network'], typeof nodes[0]['network']];

    // Identity: id is the certificate hash; name, org and validator come from the certificate and genesis.
    const seenByA = a.peers().sort((x, y) => x.name.localeCompare(y.name));
    assert.deepEqual(seenByA.map((p) => [p.id, p.name, p.org, p.validator]), [
      [b.id, 'node1.org2', 'org2', 'node1'],
      [c.id, 'node2.org1', 'org1', 'node2'],
    ]);
    for (const peer of seenByA) {
      assert.match(peer.address, /^127\.0\.0\.1:\d+$/);
      assert.ok(peer.connectedSinceMs > 0);
    }
    assert.equal(new Set([a.id, b.id, c.id]).size, 3);

    // Both ways between a and b.
    const atB = collect(b, 1);
    assert.equal(a.send(b.id, 16, utf8('ping from a')), true);
    const [fromA] = await atB;
    assert.deepEqual([fromA!.from, fromA!.type, Buffer.from(fromA!.payload).toString()], [a.id, 16, 'ping from a']);
    const atA = collect(a, 1);
    assert.equal(b.send(a.id, 17, utf8('pong from b')), true);
    const [fromB] = await atA;
    assert.deepEqual([fromB!.from, fromB!.type, Buffer.from(fromB!.payload).toString()], [b.id, 17, 'pong from b']);

    // Broadcast from c reaches a and b; order within one peer is kept.
    const atA2 = collect(a, 3);
    const atB2 = collect(b, 3);
    for (let i = 0; i < 3; i++) assert.equal(c.broadcast(200, new Uint8Array([i])), 2);
    for (const received of await Promise.all([atA2, atB2])) {
      assert.deepEqual(received.map((m) => [m.from, m.type, m.payload[0]]), [[c.id, 200, 0], [c.id, 200, 1], [c.id, 200, 2]]);
    }

    // An empty payload and one large message (1 MiB) arrive intact.
    const atC = collect(c, 2);
    const big = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    a.send(c.id, 18, new Uint8Array(0));
    a.send(c.id, 19, big);
    const [empty, large] = await atC;
    assert.equal(empty!.payload.length, 0);
    assert.deepEqual(large!.payload, big);

    assert.equal(a.send('00'.repeat(32), 16, utf8('nobody')), false);
    assert.throws(() => a.broadcast(1, new Uint8Array(0)), /16\.\.255/);
  });
}
