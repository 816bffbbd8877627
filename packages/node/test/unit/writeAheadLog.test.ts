import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { XinlianError } from '@xinlian/protocol';
import { WriteAheadLog } from '../../src/consensus/writeAheadLog.js';

function withDir(run: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-wal-'));
  try {
    run(join(dir, 'consensus.wal'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bytes = (...values: number[]) => new Uint8Array(values);

test('records written are recovered in order after reopening; reset empties the log', () => {
  withDir((path) => {
    const wal = WriteAheadLog.open(path);
    assert.deepEqual(wal.recovered, []);
    wal.append([bytes(1), bytes(2, 2)]);
    wal.append([new Uint8Array(0), bytes(3, 3, 3)]);
    wal.close();
    const again = WriteAheadLog.open(path);
    assert.deepEqual(again.recovered, [bytes(1), bytes(2, 2), new Uint8Array(0), bytes(3, 3, 3)]);
    again.reset();
    again.append([bytes(9)]);
    again.close();
    assert.deepEqual(WriteAheadLog.open(path).recovered, [bytes(9)]);
  });
});

test('a torn last append at any byte is cut off; everything before it survives', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 6 }), fc.nat(), (records, cut) => {
    withDir((path) => {
      const wal = WriteAheadLog.open(path);
      wal.append(records.slice(0, -1));
      const before = statSync(path).size;
      wal.append(records.slice(-1));
      wal.close();
      const full = statSync(path).size;
      const tornAt = before + (cut % (full - before));
      truncateSync(path, tornAt);
      const reopened = WriteAheadLog.open(path);
      assert.deepEqual(reopened.recovered, records.slice(0, -1));
      assert.equal(statSync(path).size, before, 'the torn tail is truncated');
      reopened.append([bytes(7)]);
      reopened.close();
      assert.deepEqual(WriteAheadLog.open(path).recovered, [...records.slice(0, -1), bytes(7)]);
    });
  }), { numRuns: 60 });
});

test('a flipped byte in the last record is a torn tail; in an earlier record it is corruption', () => {
  withDir((path) => {
    const wal = WriteAheadLog.open(path);
    wal.append([bytes(1, 1, 1), bytes(2, 2, 2)]);
    wal.close();
    const data = readFileSync(path);
    data[data.length - 1]! ^= 0xff;
    writeFileSync(path, data);
    assert.deepEqual(WriteAheadLog.open(path).recovered, [bytes(1, 1, 1)]);
    appendFileSync(path, Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 5]));
    const corrupt = readFileSync(path);
    corrupt[9]! ^= 0xff;
    writeFileSync(path, corrupt);
    assert.throws(() => WriteAheadLog.open(path), (e: unknown) => e instanceof XinlianError && e.code === 'STORAGE_ERROR' && /corrupt at byte 0/.test(e.message));
  });
});
