import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8, XinlianError } from '@xinlian/protocol';
import { createVerifyPool, signingKeyFromRawPrivateKey, type VerifyItem } from '../../src/index.js';

for (const suite of ['gm', 'intl'] as const) {
  test(`${suite}: verify pool returns results in order, false for bad items`, async () => {
    const key = signingKeyFromRawPrivateKey(suite, new Uint8Array(32).fill(5));
    const items: VerifyItem[] = [];
    const expected: boolean[] = [];
    for (let i = 0; i < 600; i++) {
      const message = utf8(`tx ${i}`);
      const signature = key.sign(message);
      const good = i % 3 !== 0;
      items.push({ publicKey: key.publicKey, message: good ? message : utf8(`other ${i}`), signature });
      expected.push(good);
    }
    items.push({ publicKey: new Uint8Array(3), message: utf8('x'), signature: new Uint8Array(0) });
    expected.push(false);
    const pool = createVerifyPool({ suite, threads: 2 });
    try {
      assert.deepEqual(await pool.verifyBatch(items), expected);
      assert.deepEqual(await pool.verifyBatch([]), []);
      const [a, b] = await Promise.all([pool.verifyBatch(items.slice(0, 7)), pool.verifyBatch(items.slice(7, 20))]);
      assert.deepEqual([...a, ...b], expected.slice(0, 20));
    } finally {
      await pool.close();
    }
    await assert.rejects(pool.verifyBatch(items), (e: unknown) => e instanceof XinlianError && e.code === 'UNAVAILABLE');
  });
}
