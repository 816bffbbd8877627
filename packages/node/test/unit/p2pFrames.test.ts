import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeGoodbye, decodeHello, encodeFrame, encodeGoodbye, encodeHello, seededRandom, XinlianError,
} from '@xinlian/protocol';
import { FrameDecoder } from '../../src/p2p/frameDecoder.js';
import { resolvePeerLimits } from '../../src/p2p/peerLimits.js';
import { TokenBucket } from '../../src/p2p/tokenBucket.js';

const SEEDS = 300;

function randomBytes(next: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

/** Cuts `bytes` at random points, as TCP may. */
function randomChunks(next: () => number, bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(next() * Math.min(bytes.length - at, 64));
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function drain(decoder: FrameDecoder): Array<{ type: number; payload: Uint8Array }> {
  const frames = [];
  for (let frame = decoder.next(); frame !== undefined; frame = decoder.next()) frames.push({ type: frame.type, payload: frame.payload.slice() });
  return frames;
}

test('frames split at any points decode to the frames that were sent', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const next = seededRandom(seed);
    const sent = Array.from({ length: 1 + Math.floor(next() * 8) }, () => ({ type: Math.floor(next() * 256), payload: randomBytes(next, Math.floor(next() * 300)) }));
    const stream = new Uint8Array(Buffer.concat(sent.map((f) => encodeFrame(f.type, f.payload))));
    const decoder = new FrameDecoder(1024);
    const got = [];
    for (const chunk of randomChunks(next, stream)) {
      decoder.push(chunk);
      got.push(...drain(decoder));
    }
    assert.deepEqual(got, sent, `seed ${seed}`);
    assert.equal(decoder.bufferedByteCount, 0, `seed ${seed}`);
  }
});

test('random bytes never make a decoder throw anything but a typed DECODE_ERROR or PAYLOAD_TOO_LARGE', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const next = seededRandom(seed);
    const input = randomBytes(next, Math.floor(next() * 200));
    const decoder = new FrameDecoder(64);
    const typed = (error: unknown) => error instanceof XinlianError && ['DECODE_ERROR', 'PAYLOAD_TOO_LARGE'].includes(error.code);
    try {
      for (const chunk of randomChunks(next, input)) {
        decoder.push(chunk);
        drain(decoder);
      }
    } catch (error) {
      assert.ok(typed(error), `seed ${seed}: ${String(error)}`);
    }
    for (const decode of [decodeHello, decodeGoodbye]) {
      try {
        decode(input);
      } catch (error) {
        assert.ok(error instanceof XinlianError && error.code === 'DECODE_ERROR', `seed ${seed}: ${String(error)}`);
      }
    }
  }
});

test('the decoder refuses an oversized length from its 4 header bytes alone, and an empty frame', () => {
  const decoder = new FrameDecoder(100);
  decoder.push(Uint8Array.of(0, 0, 0, 101));
  assert.throws(() => decoder.next(), (e: unknown) => e instanceof XinlianError && e.code === 'PAYLOAD_TOO_LARGE');
  const empty = new FrameDecoder(100);
  empty.push(Uint8Array.of(0, 0, 0, 0));
  assert.throws(() => empty.next(), (e: unknown) => e instanceof XinlianError && e.code === 'DECODE_ERROR');
  // The limit may rise between frames (after the hello): the next header is judged by the new one.
  const rising = new FrameDecoder(8);
  rising.push(encodeFrame(0, new Uint8Array(7)));
  rising.push(encodeFrame(16, new Uint8Array(50)));
  assert.equal(rising.next()?.type, 0);
  rising.frameBytesMax = 64;
  assert.equal(rising.next()?.payload.length, 50);
});

test('hello and goodbye decode strictly and round-trip', () => {
  const hello = { version: 1, chainId: 'c', certDer: Uint8Array.of(1, 2), signature: Uint8Array.of(3) };
  assert.deepEqual(decodeHello(encodeHello(hello)), hello);
  assert.throws(() => decodeHello(Uint8Array.of(...encodeHello(hello), 0)), /trailing/);
  assert.throws(() => decodeHello(encodeHello({ ...hello, version: 2 })), /version/);
  assert.deepEqual(decodeGoodbye(encodeGoodbye({ code: 'TIMEOUT', message: 'slow' })), { code: 'TIMEOUT', message: 'slow' });
  // Long messages are cut to the limit, and a split surrogate pair is no reason to fail.
  const long = decodeGoodbye(encodeGoodbye({ code: 'INTERNAL', message: '😀'.repeat(600) }));
  assert.ok(long.message.length <= 512);
});

test('token buckets refill on the injected clock, never beyond capacity, never backwards', () => {
  let now = 1_000;
  const bucket = new TokenBucket(10, 5, () => now);
  for (let i = 0; i < 5; i++) assert.equal(bucket.take(1), true);
  assert.equal(bucket.take(1), false);
  now += 100; // 10 per second: one token
  assert.equal(bucket.take(1), true);
  assert.equal(bucket.take(1), false);
  now += 60_000;
  assert.equal(bucket.take(5), true);
  assert.equal(bucket.take(1), false);
  now -= 30_000; // a clock stepping back mints nothing
  assert.equal(bucket.take(1), false);
  now += 100;
  assert.equal(bucket.take(1), true);
});

test('limits are checked for consistency', () => {
  assert.throws(() => resolvePeerLimits({ frameBytesMax: 0 }), /positive/);
  assert.throws(() => resolvePeerLimits({ frameBytesMax: 1000, helloFrameBytesMax: 100, receiveBytesBurst: 999 }), /receiveBytesBurst/);
  assert.throws(() => resolvePeerLimits({ helloFrameBytesMax: 2 ** 25 }), /helloFrameBytesMax/);
  assert.equal(resolvePeerLimits().frameBytesMax, 16 * 1024 * 1024);
});
