import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/storage/store.js';
import { seededRandom } from '@xinlian/protocol';

const KEY_COUNT = 400;
const ROUNDS = 8;
const childPath = fileURLToPath(new URL('../helpers/storeCrashChild.js', import.meta.url));

/**
 * Starts the writer and SIGKILLs it `delayMs` after it reports commit number `killAfter`. The
 * delay is not a wait for anything: it only spreads the kill over the commit cycle (a kill on the
 * report itself lands at the start of the next batch). The assertions hold for any kill moment.
 */
function runAndKill(directory: string, killAfter: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childPath, directory], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    let lastReported = 0;
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        lastReported = Number(line);
        if (++seen === killAfter) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastReported);
      else reject(new Error(`writer exited with ${code}`));
    });
  });
}

function checkWhole(directory: string): number {
  const store = Store.open(directory, { buckets: ['data', 'meta'] });
  try {
    const raw = store.get('meta', new Uint8Array([1]));
    assert.ok(raw !== undefined, 'no batch committed');
    const batch = new DataView(raw.buffer, raw.byteOffset).getUint32(0);
    const entries = store.range('data');
    // Exactly one key (the rotating one) is absent, and every other carries this batch's number.
    assert.equal(entries.length, KEY_COUNT - 1);
    const absent = batch % KEY_COUNT;
    for (const { key, value } of entries) {
      assert.notEqual((key[1]! << 8) | key[2]!, absent, 'deleted key present');
      assert.equal(new DataView(value.buffer, value.byteOffset).getUint32(0), batch, 'partial batch');
    }
    return batch;
  } finally {
    void store.close();
  }
}

test('SIGKILL at random moments never leaves a partial batch and never loses a reported one', async () => {
  const seed = Number(process.env.XINLIAN_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`storeCrash seed=${seed} (replay with XINLIAN_SEED=${seed})`);
  const random = seededRandom(seed);
  const directory = mkdtempSync(join(tmpdir(), 'xinlian-crash-'));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const reported = await runAndKill(directory, 1 + Math.floor(random() * 20), Math.floor(random() * 15));
      const batch = checkWhole(directory);
      assert.ok(batch >= reported, `seed ${seed}: reported batch ${reported} lost (store has ${batch})`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
