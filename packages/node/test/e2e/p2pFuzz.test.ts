import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, pemDecode, seededRandom, toHex, XinlianError } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { buildHello } from '../../src/p2p/peerHello.js';
import { collect, connectRaw, makeChain, makeNode, nextEvent, P2P_FRAME_TYPE, waitUntil } from './p2pTestKit.js';

const CASES = 40;
const ALLOWED = new Set(['DECODE_ERROR', 'PAYLOAD_TOO_LARGE', 'PEER_AUTH_FAILED', 'UNAVAILABLE', 'TIMEOUT']);

function randomBytes(next: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

/** Garbage of several shapes: raw noise, transport frames with noise inside, oversize and empty lengths. */
function garbage(next: () => number): Uint8Array {
  const shape = Math.floor(next() * 4);
  if (shape === 0) return randomBytes(next, 1 + Math.floor(next() * 512));
  if (shape === 1) return encodeFrame(Math.floor(next() * 16), randomBytes(next, Math.floor(next() * 200)));
  if (shape === 2) return Uint8Array.of(0xff, 0xff, 0xff, 0xff, ...randomBytes(next, 8));
  return Uint8Array.of(0, 0, 0, 0);
}

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: random bytes before and after authentication never crash the receiver; it drops the sender with a typed reason`, async (t) => {
    const chain = await makeChain(suite, 2);
    t.after(() => chain.remove());
    const victim = makeNode(chain, 0, { limits: { frameBytesMax: 4096, receiveBytesBurst: 4096, helloFrameBytesMax: 2048 } });
    await victim.network.start();
    t.after(() => victim.network.stop());
    const port = victim.network.port;
    const node1Cert = pemDecode(chain.certsPem[1]!, 'CERTIFICATE');
    const nodeSuiteOf = nodeSuite(suite);
    const seed = Number(process.env['XINLIAN_SEED'] ?? 20_261_101);
    const next = seededRandom(seed);
    const codes = new Map<string, number>();

    for (let i = 0; i < CASES; i++) {
      const authenticated = i % 2 === 1;
      const ended = nextEvent(victim.network, (event) => event.kind === (authenticated ? 'disconnected' : 'refused'));
      const raw = await connectRaw(port);
      if (authenticated) {
        const opened = nextEvent(victim.network, (event) => event.kind === 'connected');
        raw.sendFrame(P2P_FRAME_TYPE.hello, buildHello({ chainId: chain.genesis.chainId, suite: nodeSuiteOf, key: chain.keys[1]!, certDer: node1Cert, id: toHex(nodeSuiteOf.hash(node1Cert)) }, 'dialer', raw.exporter));
        await opened;
      } else if (next() < 0.3) {
        // A valid hello with a few bytes flipped.
        const hello = buildHello({ chainId: chain.genesis.chainId, suite: nodeSuiteOf, key: chain.keys[1]!, certDer: node1Cert, id: toHex(nodeSuiteOf.hash(node1Cert)) }, 'dialer', raw.exporter);
        for (let flips = 1 + Math.floor(next() * 3); flips > 0; flips--) {
          const at = Math.floor(next() * hello.length);
          hello[at] = hello[at]! ^ (1 + Math.floor(next() * 255));
        }
        raw.sendFrame(P2P_FRAME_TYPE.hello, hello);
      }
      raw.socket.write(garbage(next));
      raw.socket.end(); // whatever the receiver still waits for will never come
      const event = await ended;
      assert.ok(event.kind !== 'connected');
      const reason = (event as { reason: XinlianError }).reason;
      assert.ok(reason instanceof XinlianError && ALLOWED.has(reason.code), `seed ${seed} case ${i}: ${String(reason)}`);
      codes.set(reason.code, (codes.get(reason.code) ?? 0) + 1);
      await raw.closed;
    }
    t.diagnostic(`seed ${seed}: ${JSON.stringify(Object.fromEntries(codes))}`);
    assert.ok((codes.get('DECODE_ERROR') ?? 0) > 0 && (codes.get('PAYLOAD_TOO_LARGE') ?? 0) > 0);

    // Still alive and serving members.
    const member = makeNode(chain, 1, { peerPorts: [port] });
    await member.network.start();
    t.after(() => member.network.stop());
    await waitUntil([member.network, victim.network], () => member.network.peers().length === 1 && victim.network.peers().length === 1);
    const got = collect(victim.network, 1);
    member.network.send(victim.network.id, 16, Uint8Array.of(42));
    assert.deepEqual((await got)[0]!.payload, Uint8Array.of(42));
  });
}
