import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { toHex, XinlianError } from '@xinlian/protocol';
import { decodeWalRecord, encodeWalRecord, type WalRecord } from '@xinlian/consensus';
import type * as DecoderFuzz from '../../../protocol/dist/test/helpers/decoderFuzz.js';
import { WriteAheadLog } from '../../src/consensus/writeAheadLog.js';

// The shared decoder fuzzing helpers, from the build of protocol's tests (this package depends on it).
const { checkProperty, hashArbitrary, heightArbitrary, roundArbitrary, signedProposalArbitrary, signedVoteArbitrary } =
  (await import(new URL('../../../../protocol/dist/test/helpers/decoderFuzz.js', import.meta.url).href)) as typeof DecoderFuzz;

// Replay of the consensus WAL after a crash, as ConsensusDriver does it: WriteAheadLog.open, then
// decodeWalRecord over what it recovered. Whatever follows the last complete append (a torn append,
// random garbage, zeros) must either be cut off as a torn tail, leaving exactly the records of the
// complete appends, or stop the node with a STORAGE_ERROR that leaves the file as it was.

const VALUE_BYTES_MAX = 40;
const HEADER_BYTES = 8;

const value = fc.uint8Array({ maxLength: VALUE_BYTES_MAX });
const walRecordArbitrary: fc.Arbitrary<WalRecord> = fc.oneof(
  fc.record({ proposal: signedProposalArbitrary, value }).map(({ proposal, value: bytes }): WalRecord => ({ type: 'signedProposal', proposal, value: bytes })),
  signedVoteArbitrary.map((vote): WalRecord => ({ type: 'signedVote', vote })),
  fc.record({ height: heightArbitrary, round: roundArbitrary, blockHash: hashArbitrary, bytes: value })
    .map(({ height, round, blockHash, bytes }): WalRecord => ({ type: 'locked', height, round, value: { blockHash, bytes } })),
);
/** Appends as the driver makes them: each a batch of records written and fsynced together. */
const appendsArbitrary = fc.array(fc.array(walRecordArbitrary, { minLength: 1, maxLength: 3 }), { maxLength: 4 });

/** What a crash, a disk or a stray writer may leave after the last complete append. */
type Tail =
  | { kind: 'tornAppend'; records: WalRecord[]; cut: number }
  | { kind: 'corruptLastRecord'; record: WalRecord; at: number; xor: number }
  | { kind: 'overlongHeader'; declaredExtra: number; body: Uint8Array }
  | { kind: 'garbage'; bytes: Uint8Array };

const tailArbitrary: fc.Arbitrary<Tail> = fc.oneof(
  fc.record({ kind: fc.constant('tornAppend' as const), records: fc.array(walRecordArbitrary, { minLength: 1, maxLength: 3 }), cut: fc.nat() }),
  fc.record({ kind: fc.constant('corruptLastRecord' as const), record: walRecordArbitrary, at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('overlongHeader' as const), declaredExtra: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 0xffff_ff00 })), body: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({
    kind: fc.constant('garbage' as const),
    bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 64 }).map((length) => new Uint8Array(length))),
  }),
);

function withWalPath(run: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-wal-fuzz-'));
  try {
    run(join(dir, 'consensus.wal'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const framedBytes = (records: readonly Uint8Array[]) => records.reduce((sum, record) => sum + HEADER_BYTES + record.length, 0);

/** Writes the tail after the complete appends; returns the records a correct replay must recover from it. */
function writeTail(path: string, tail: Tail): WalRecord[] | 'torn tail or corruption' {
  const before = statSync(path).size;
  switch (tail.kind) {
    case 'tornAppend': {
      // The last append stopped anywhere inside: the records it wrote completely survive.
      const encoded = tail.records.map(encodeWalRecord);
      const wal = WriteAheadLog.open(path);
      wal.append(encoded);
      wal.close();
      const cut = tail.cut % framedBytes(encoded);
      truncateSync(path, before + cut);
      let complete = 0;
      while (complete < encoded.length && framedBytes(encoded.slice(0, complete + 1)) <= cut) complete++;
      return tail.records.slice(0, complete);
    }
    case 'corruptLastRecord': {
      // One byte of the final record's checksum or body changed: it can only be a torn tail.
      const wal = WriteAheadLog.open(path);
      wal.append([encodeWalRecord(tail.record)]);
      wal.close();
      const data = readFileSync(path);
      const at = before + 4 + (tail.at % (data.length - before - 4));
      data[at]! ^= tail.xor;
      writeFileSync(path, data);
      return [];
    }
    case 'overlongHeader': {
      // A header whose record would run past the end of the file: the tail of an append.
      const header = Buffer.alloc(HEADER_BYTES);
      header.writeUInt32BE(tail.body.length + tail.declaredExtra, 0);
      appendFileSync(path, Buffer.concat([header, tail.body]));
      return [];
    }
    case 'garbage':
      appendFileSync(path, tail.bytes);
      return 'torn tail or corruption';
  }
}

/** The driver's replay: open, then decode every recovered record. */
function replay(path: string): WalRecord[] {
  const wal = WriteAheadLog.open(path);
  try {
    assert.equal(wal.bytes, statSync(path).size, 'the log knows its size after recovery');
    return wal.recovered.map((record) => decodeWalRecord(record, VALUE_BYTES_MAX));
  } finally {
    wal.close();
  }
}

test('replay after any tail recovers exactly the complete appends, or refuses with a STORAGE_ERROR and changes nothing', (t) => {
  const outcomes = { recovered: 0, refused: 0, recoveredGarbage: 0 };
  checkProperty(t, fc.property(appendsArbitrary, tailArbitrary, walRecordArbitrary, (appends, tail, later) => {
    withWalPath((path) => {
      const wal = WriteAheadLog.open(path);
      for (const records of appends) wal.append(records.map(encodeWalRecord));
      wal.close();
      const written = appends.flat();
      const expected = writeTail(path, tail);
      const damaged = toHex(readFileSync(path));
      let recovered: WalRecord[];
      try {
        recovered = replay(path);
      } catch (error) {
        assert.ok(error instanceof XinlianError, `expected a XinlianError, got ${String(error)}`);
        assert.equal(error.code, 'STORAGE_ERROR', error.message);
        assert.equal(expected, 'torn tail or corruption', `only garbage may be refused: ${error.message}`);
        assert.equal(toHex(readFileSync(path)), damaged, 'a refused WAL is left as it was');
        outcomes.refused++;
        return;
      }
      // Random garbage forms a record only with a matching 32-bit checksum: never, at these seeds.
      const complete = expected === 'torn tail or corruption' ? written : [...written, ...expected];
      assert.deepEqual(recovered, complete);
      outcomes.recovered++;
      if (expected === 'torn tail or corruption') outcomes.recoveredGarbage++;
      assert.equal(statSync(path).size, framedBytes(complete.map(encodeWalRecord)), 'the torn tail is cut off the file');
      assert.deepEqual(replay(path), complete, 'a second replay finds the same records');
      const wal2 = WriteAheadLog.open(path);
      wal2.append([encodeWalRecord(later)]);
      wal2.close();
      assert.deepEqual(replay(path), [...complete, later], 'appends after a recovery are replayed after the recovered records');
    });
  }), { seed: 5200, numRuns: 250 });
  t.diagnostic(`recovered ${outcomes.recovered} (${outcomes.recoveredGarbage} after garbage), refused ${outcomes.refused}`);
  assert.ok(outcomes.recoveredGarbage >= 10 && outcomes.refused >= 10, 'both ends of the garbage case were reached');
});

test('a bad record before the end stops the replay with a STORAGE_ERROR that names its offset', (t) => {
  checkProperty(t, fc.property(appendsArbitrary.filter((appends) => appends.flat().length >= 2), fc.nat(), fc.integer({ min: 1, max: 255 }), (appends, pick, xor) => {
    withWalPath((path) => {
      const wal = WriteAheadLog.open(path);
      const encoded = appends.flat().map(encodeWalRecord);
      wal.append(encoded);
      wal.close();
      // Damage the checksum or body of a record that is not the last: real corruption, not a tear.
      const index = pick % (encoded.length - 1);
      const offset = framedBytes(encoded.slice(0, index));
      const data = readFileSync(path);
      data[offset + 4 + (pick % (4 + encoded[index]!.length))]! ^= xor;
      writeFileSync(path, data);
      assert.throws(() => WriteAheadLog.open(path), (error: unknown) =>
        error instanceof XinlianError && error.code === 'STORAGE_ERROR' && error.message.includes(`at byte ${offset} `));
      assert.deepEqual(readFileSync(path), data, 'nothing is truncated');
    });
  }), { seed: 5201, numRuns: 150 });
});

test('a refused WAL leaves no file descriptor open', { skip: !existsSync('/proc/self/fd') && 'needs /proc/self/fd' }, () => {
  withWalPath((path) => {
    const wal = WriteAheadLog.open(path);
    wal.append([Uint8Array.of(1), Uint8Array.of(2)]);
    wal.close();
    const data = readFileSync(path);
    data[4]! ^= 1; // the first record's checksum
    writeFileSync(path, data);
    const openBefore = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) assert.throws(() => WriteAheadLog.open(path), XinlianError);
    assert.equal(readdirSync('/proc/self/fd').length, openBefore);
  });
});
