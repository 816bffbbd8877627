#!/usr/bin/env node
// Determinism and purity guard (docs/architecture.md): pure code never reads clocks, randomness,
// timers or Node-only modules. Runs as part of `npm test`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Directories whose source must stay pure (deterministic and browser-safe).
const PURE_DIRS = [
  'packages/protocol/src',
  'packages/node/src/execution',
  'packages/consensus/src',
  'packages/simulator/src',
];
// Command-line entry points inside pure directories: the shell around the pure code.
const SHELL_FILES = new Set(['packages/simulator/src/soak.ts']);
const BANNED = [
  [/\bDate\.now\b/, 'Date.now'],
  [/\bnew Date\(/, 'new Date('],
  [/\bMath\.random\b/, 'Math.random'],
  [/\bset(Timeout|Interval|Immediate)\(/, 'timers'],
  [/\bperformance\.now\b/, 'performance.now'],
  [/from ['"]node:/, 'node: imports'],
  [/\bprocess\./, 'process'],
  [/\bBuffer\b/, 'Buffer (use Uint8Array)'],
];

function walk(dir, out) {
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const problems = [];
for (const dir of PURE_DIRS) {
  for (const file of walk(join(root, dir), [])) {
    if (SHELL_FILES.has(relative(root, file))) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const [pattern, what] of BANNED) {
        if (pattern.test(line)) problems.push(`${relative(root, file)}:${i + 1}: ${what} in pure code`);
      }
    });
  }
}
// The explorer runs in browsers: no Node built-in may reach its bundle (Vite would only warn).
for (const file of walk(join(root, 'packages/explorer/src'), [])) {
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (/from ['"](node:|fs['"]|path['"]|crypto['"])/.test(line)) problems.push(`${relative(root, file)}:${i + 1}: Node built-in in browser code`);
  });
}
if (problems.length > 0) {
  console.error(`tidy: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('tidy: ok');
