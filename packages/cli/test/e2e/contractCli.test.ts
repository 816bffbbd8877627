import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
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

test('contract new scaffolds a contract whose tests pass under contract test; a broken contract fails them; bad arguments exit 2', { timeout: 120_000 }, async (t) => {
  const dir = tempDir('contract-new');
  t.after(() => dir.remove());
  const created = await runCli(['contract', 'new', 'counter', '--dir', dir.path]);
  assert.equal(created.code, 0, created.stderr);
  const project = join(dir.path, 'counter');
  const passing = await runCli(['contract', 'test', project]);
  assert.equal(passing.code, 0, `${passing.stdout}\n${passing.stderr}`);
  assert.match(passing.stdout, /# pass 2/);
  // The tests run the contract in the sandbox: a contract that reaches for the clock fails them.
  const source = readFileSync(join(project, 'contract.ts'), 'utf8');
  writeFileSync(join(project, 'contract.ts'), source.replace('const value = (', 'const now = Date.now();\n    const value = now * 0 + ('));
  const failing = await runCli(['contract', 'test', project]);
  assert.equal(failing.code, 1, failing.stdout);
  assert.match(failing.stdout, /'Date' is not defined/);
  assert.equal((await runCli(['contract', 'new', 'counter', '--dir', dir.path])).code, 2, 'refuses to overwrite');
  assert.equal((await runCli(['contract', 'new', 'Bad Name'])).code, 2);
  assert.equal((await runCli(['contract', 'test', join(dir.path, 'nothing-here')])).code, 2);
});
