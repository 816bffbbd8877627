import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { nodeSuite } from '@xinlian/crypto-node';
import { packageContract } from '@xinlian/contracts';
import { optional, parse, required, UsageError } from '../cliError.js';
import type { Command } from './command.js';
import { suiteOption } from './keyCommands.js';

const build: Command = {
  summary: 'package a TypeScript contract into one deterministic JS file and print its hash',
  usage: 'xinlian contract build ENTRY --suite gm|intl [--out FILE] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { suite: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, 1);
    const entry = required(positionals[0], 'ENTRY');
    const suite = suiteOption(values.suite);
    if (!existsSync(entry)) throw new UsageError(`no such file: ${entry}`);
    const packaged = await packageContract(entry, nodeSuite(suite).hash);
    const out = optional(values.out) ?? entry.replace(/\.[cm]?[jt]s$/, '') + '.contract.js';
    writeFileSync(out, packaged.code);
    process.stdout.write(values.json
      ? `${JSON.stringify({ hash: packaged.hash, bytes: packaged.bytes, out, suite })}\n`
      : `packaged ${entry} → ${out}\n  ${packaged.bytes} bytes, ${suite === 'gm' ? 'SM3' : 'SHA-256'} ${packaged.hash}\n`);
    return 0;
  },
};

const NAME = /^[a-z][a-z0-9-]{0,63}$/;

const SCAFFOLD_CONTRACT = `import { ContractError, defineContract } from '@xinlian/contracts/api';

// Operations take (api, args, ctx): api reads and writes this contract's state and emits events,
// ctx names the caller and the block. No clock, no randomness: use ctx.timeMs and ctx.txId.
export default defineContract({
  increment(api, args: { name: string; by: number }, ctx) {
    // A ContractError is the contract's own "no": the tx fails with CONTRACT_REJECTED and this code.
    if (!Number.isInteger(args.by) || args.by <= 0) throw new ContractError('BAD_AMOUNT', 'by must be a positive integer');
    const key = \`counter/\${args.name}\`;
    const value = (api.get<number>(key) ?? 0) + args.by;
    api.put(key, value);
    api.emit('counter.incremented', { name: args.name, value, org: ctx.caller.org });
    return { value };
  },
});
`;

const SCAFFOLD_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contractLedger } from '@xinlian/contracts/testing';

test('increment adds and remembers, per name', async () => {
  const ledger = await contractLedger(new URL('./contract.ts', import.meta.url));
  const first = await ledger.call('increment', { name: 'a', by: 2 }, { org: 'org1', role: 'client' });
  assert.ok(first.ok, JSON.stringify(first));
  assert.deepEqual(first.result, { value: 2 });
  await ledger.call('increment', { name: 'a', by: 3 }, { org: 'org1', role: 'client' });
  assert.equal(ledger.get('counter/a'), 5);
});

test('a refused call changes nothing', async () => {
  const ledger = await contractLedger(new URL('./contract.ts', import.meta.url));
  const refused = await ledger.call('increment', { name: 'a', by: -1 }, { org: 'org1', role: 'client' });
  assert.ok(!refused.ok && refused.code === 'CONTRACT_REJECTED' && refused.reason === 'BAD_AMOUNT', JSON.stringify(refused));
  assert.equal(ledger.get('counter/a'), undefined);
});
`;

const create: Command = {
  summary: 'scaffold a contract: contract.ts and its tests',
  usage: 'xinlian contract new NAME [--dir DIR]',
  async run(argv) {
    const { values, positionals } = parse(argv, { dir: { type: 'string' } }, 1);
    const name = required(positionals[0], 'NAME');
    if (!NAME.test(name)) throw new UsageError(`NAME must match ${NAME.source}, got "${name}"`);
    const dir = resolve(optional(values.dir) ?? '.', name);
    if (existsSync(dir)) throw new UsageError(`${dir} exists; refusing to overwrite`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'contract.ts'), SCAFFOLD_CONTRACT);
    writeFileSync(join(dir, 'contract.test.ts'), SCAFFOLD_TEST);
    process.stdout.write(`created ${dir}/contract.ts and contract.test.ts\n  test:  npx xinlian contract test ${dir}\n  build: npx xinlian contract build ${dir}/contract.ts --suite gm|intl\n`);
    return 0;
  },
};

// Bundled tests go under this package's node_modules, so that the packages they import
// (@xinlian/contracts and its WebAssembly) resolve from this installation, wherever DIR is.
const TEST_CACHE = fileURLToPath(new URL('../../../node_modules/.cache/xinlian-contract-tests/', import.meta.url));

const testCommand: Command = {
  summary: "run a contract's tests (*.test.ts) against an in-memory ledger in the same sandbox",
  usage: 'xinlian contract test DIR',
  async run(argv) {
    const { positionals } = parse(argv, {}, 1);
    const dir = resolve(required(positionals[0], 'DIR'));
    if (!existsSync(dir)) throw new UsageError(`no such directory: ${dir}`);
    const files = readdirSync(dir).filter((f) => /\.test\.[cm]?[jt]s$/.test(f)).sort();
    if (files.length === 0) throw new UsageError(`no *.test.ts files in ${dir}`);
    mkdirSync(TEST_CACHE, { recursive: true });
    const out = mkdtempSync(join(TEST_CACHE, `${basename(dir)}-`));
    try {
      const bundled: string[] = [];
      for (const file of files) {
        const outfile = join(out, file.replace(/\.[cm]?[jt]s$/, '.mjs'));
        await esbuild({
          entryPoints: [join(dir, file)], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent',
          // Resolved at run time from this installation: the sandbox loads its .wasm from its package.
          external: ['@xinlian/*', 'quickjs-emscripten-core', '@jitl/*', 'esbuild'],
          // import.meta.url in a test names the contract next to it, as written.
          define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(dir, file)).href) },
        });
        bundled.push(outfile);
      }
      // A run of its own even when started from inside another test run (which marks its children).
      const env = { ...process.env };
      delete env.NODE_TEST_CONTEXT;
      const result = spawnSync(process.execPath, ['--test', ...bundled], { stdio: 'inherit', env });
      return result.status === 0 ? 0 : 1;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};

export const contract: Command = {
  summary: 'smart contracts: new | test | build',
  usage: `xinlian contract new|test|build ...\n  ${create.usage}\n  ${testCommand.usage}\n  ${build.usage}`,
  subcommands: { new: create, test: testCommand, build },
  async run(argv) {
    throw new UsageError(argv[0] === undefined ? 'contract needs a subcommand: new | test | build' : `unknown subcommand "${argv[0]}"`);
  },
};
