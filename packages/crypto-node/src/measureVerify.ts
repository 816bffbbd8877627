import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SuiteName } from '@xinlian/protocol';
import { generateKeyPair, loadSigningKey } from './keys.js';
import { nodeSuite } from './nodeSuite.js';
import { createVerifyPool, type VerifyItem } from './verifyPool.js';

function sampleItems(suite: SuiteName, count: number): VerifyItem[] {
  const key = loadSigningKey(generateKeyPair(suite).privateKeyPem);
  return Array.from({ length: count }, () => {
    const message = new Uint8Array(randomBytes(32)); // a signing digest, as in the protocol
    return { publicKey: key.publicKey, message, signature: key.sign(message) };
  });
}

/** Native verifications per second on the calling thread (one key, cached, 32-byte messages). */
export function measureVerifyPerSecond(suite: SuiteName, durationMs: number): number {
  const items = sampleItems(suite, 64);
  const verifier = nodeSuite(suite);
  const start = performance.now();
  let count = 0;
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (const item of items) {
      if (!verifier.verify(item.publicKey, item.message, item.signature)) throw new Error('measureVerifyPerSecond: self-check failed');
    }
    count += items.length;
    elapsed = performance.now() - start;
  }
  return Math.round((count * 1000) / elapsed);
}

/** Verifications per second through createVerifyPool, in batches of `batchSize`. */
export async function measurePoolVerifyPerSecond(suite: SuiteName, threads: number, durationMs: number, batchSize = 256): Promise<number> {
  const items = sampleItems(suite, batchSize);
  const pool = createVerifyPool({ suite, threads });
  try {
    await pool.verifyBatch(items); // warm-up: worker start and key import
    const start = performance.now();
    let count = 0;
    let elapsed = 0;
    while (elapsed < durationMs) {
      // Two batches in flight keep every thread busy while results travel back.
      const results = await Promise.all([pool.verifyBatch(items), pool.verifyBatch(items)]);
      if (results.some((batch) => batch.includes(false))) throw new Error('measurePoolVerifyPerSecond: self-check failed');
      count += 2 * items.length;
      elapsed = performance.now() - start;
    }
    return Math.round((count * 1000) / elapsed);
  } finally {
    await pool.close();
  }
}
