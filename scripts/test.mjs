#!/usr/bin/env node
// The test command: build, tidy check, then every compiled test file under node's test runner.
// Usage: node scripts/test.mjs [--only unit|vectors|e2e|property] [pattern...]
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts/tidy.mjs')], { cwd: root, stdio: 'inherit' });

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args.splice(onlyIndex, 2)[1] : undefined;
const patterns = args;

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const testDir = join(root, 'packages', pkg, 'dist', 'test');
  try { statSync(testDir); } catch { continue; }
  walk(testDir, files);
}
const selected = files
  .filter((f) => only === undefined || f.includes(`/test/${only}/`))
  .filter((f) => patterns.length === 0 || patterns.some((p) => f.includes(p)))
  .sort();
if (selected.length === 0) { console.error("no test files matched"); process.exit(1); }
console.log(`running ${selected.length} test files`);
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...selected], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
