import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../helpers/processes.js';

const FIXTURE = fileURLToPath(new URL('../../../../contracts/test/fixtures/counter.ts', import.meta.url));

test('contract build packages a TypeScript contract; its hash is the suite hash of the file it wrote; bad arguments exit 2', async (t) => {
  const dir = tempDir('contract-cli');
  t.after(() => dir.remove());
  for (const suite of ['intl', 'gm']) {
    const out = join(dir.path, `counter-${suite}.js`);
    const built = await runCli(['contract', 'build', FIXTURE, '--suite', suite, '--out', out, '--json']);
    assert.equal(built.code, 0, built.stderr);
    const report = JSON.parse(built.stdout) as { hash: string; bytes: number; out: string };
    assert.equal(report.out, out);
    const hashed = await runCli(['hash', '--suite', suite, out]);
    assert.equal(hashed.stdout.trim(), report.hash, `${suite}: the hash names exactly the packaged bytes`);
  }
  for (const args of [['contract'], ['contract', 'build'], ['contract', 'build', FIXTURE], ['contract', 'build', '/no/such.ts', '--suite', 'intl'], ['contract', 'nope']]) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
  }
});
