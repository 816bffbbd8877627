import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writer, XinlianError } from '@xinlian/protocol';
import { BUCKETS, openChainStore, STORAGE_FORMAT } from '../../src/ledger/chainStore.js';

test('a store records its format and a node refuses a store of another format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-format-'));
  try {
    const fresh = openChainStore(dir);
    assert.equal(fresh.latestHeight(), 0);
    fresh.db.commit([{ type: 'put', bucket: BUCKETS.meta, key: new TextEncoder().encode('storageFormat'), value: new Writer().u32(STORAGE_FORMAT + 1).finish() }]);
    await fresh.close();
    assert.throws(() => openChainStore(dir), (error: unknown) =>
      error instanceof XinlianError && error.code === 'STORAGE_ERROR' && new RegExp(`format ${STORAGE_FORMAT + 1}; this node reads format ${STORAGE_FORMAT}`).test(error.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
