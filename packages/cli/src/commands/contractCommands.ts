import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { readFileSync } from 'node:fs';
import { nodeSuite } from '@xinlian/crypto-node';
import { packageContract } from '@xinlian/contracts';
import { CONTRACT_NAME, CONTRACT_OPERATION, toHex, utf8 } from '@xinlian/protocol';
import { identityFromFiles, XinlianClient, type ContractView } from '@xinlian/sdk';
import { optional, parse, passphraseFrom, required, UsageError, type Parsed } from '../cliError.js';
import type { Command } from './command.js';
import { CONNECTION_OPTIONS, nodeUrl, proposalAfter, receiptOutput, SIGNER_OPTIONS, SIGNER_USAGE, signerSession } from './govCommands.js';
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
          external: ['@xinlian/*', '@jitl/*', 'esbuild'],
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

function contractNameOption(value: string | undefined, what = 'NAME'): string {
  const name = required(value, what);
  if (!CONTRACT_NAME.test(name)) throw new UsageError(`${what} must match ${CONTRACT_NAME.source}, got "${name}"`);
  return name;
}

function operationOption(value: string | undefined): string {
  const op = required(value, 'OP');
  if (!CONTRACT_OPERATION.test(op)) throw new UsageError(`OP must match ${CONTRACT_OPERATION.source}, got "${op}"`);
  return op;
}

function argsOption(values: Parsed['values']): unknown {
  const inline = optional(values.args);
  const file = optional(values['args-file']);
  if (inline !== undefined && file !== undefined) throw new UsageError('give --args or --args-file, not both');
  const text = inline ?? (file === undefined ? 'null' : readFileSync(file, 'utf8'));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--args must be JSON: ${(error as Error).message}`);
  }
}

const ARGS_OPTIONS = { args: { type: 'string' }, 'args-file': { type: 'string' } } as const;

/** The code to propose: a TypeScript entry is packaged here; a packaged .js is sent as it is. */
async function codeOf(entry: string, hash: (data: Uint8Array) => Uint8Array): Promise<string> {
  if (!existsSync(entry)) throw new UsageError(`no such file: ${entry}`);
  if (/\.contract\.js$/.test(entry)) return readFileSync(entry, 'utf8');
  return (await packageContract(entry, hash)).code;
}

const deploy: Command = {
  summary: 'propose deploying (or --upgrade: upgrading) a contract; organisations approve it with gov vote',
  usage: `xinlian contract deploy ENTRY --name NAME [--upgrade] ${SIGNER_USAGE}`,
  async run(argv) {
    const { values, positionals } = parse(argv, { name: { type: 'string' }, upgrade: { type: 'boolean' }, ...SIGNER_OPTIONS, ...CONNECTION_OPTIONS }, 1);
    const entry = required(positionals[0], 'ENTRY');
    const name = contractNameOption(optional(values.name), '--name');
    const session = await signerSession(values);
    const code = await codeOf(entry, session.suite.hash);
    const codeHash = toHex(session.suite.hash(utf8(code)));
    const receipt = await session.proposeContract(name, code, { upgrade: values.upgrade === true });
    const proposal = await proposalAfter(session.client, receipt.proposalId);
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify({ ...receipt, name, codeHash, codeBytes: utf8(code).length, ...(proposal === undefined ? {} : { proposal }) })}\n`);
    } else {
      receiptOutput(false, `proposed ${values.upgrade === true ? 'upgrading' : 'deploying'} contract ${name} (code ${codeHash}, ${utf8(code).length} bytes)`, receipt, proposal);
    }
    return 0;
  },
};

function formatContract(c: ContractView): string {
  const lines = [
    `contract ${c.name}  version ${c.version}  (deployed at height ${c.deployedHeight}, this version from height ${c.height})`,
    `  code      ${c.codeHash}  ${c.codeBytes} bytes`,
    `  approved  ${c.approvedBy.join(', ')}  (proposal ${c.proposalId})`,
  ];
  for (const v of c.versions ?? []) lines.push(`  v${v.version}  height ${v.height}  code ${v.codeHash}  approved by ${v.approvedBy.join(', ')}`);
  return lines.join('\n');
}

const list: Command = {
  summary: 'list deployed contracts',
  usage: 'xinlian contract list [--node URL] [--json]',
  async run(argv) {
    const { values } = parse(argv, CONNECTION_OPTIONS, 0);
    const contracts = await new XinlianClient(nodeUrl(values)).contracts();
    process.stdout.write(values.json === true ? `${JSON.stringify({ contracts })}\n`
      : contracts.length === 0 ? 'no contracts deployed\n' : `${contracts.map(formatContract).join('\n')}\n`);
    return 0;
  },
};

const show: Command = {
  summary: 'show a contract: versions, code hashes, approving organisations',
  usage: 'xinlian contract show NAME [--code] [--node URL] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { code: { type: 'boolean' }, ...CONNECTION_OPTIONS }, 1);
    const name = contractNameOption(positionals[0]);
    const client = new XinlianClient(nodeUrl(values));
    if (values.code === true) {
      process.stdout.write((await client.contractCode(name)).code);
      return 0;
    }
    const info = await client.contractInfo(name);
    process.stdout.write(values.json === true ? `${JSON.stringify(info)}\n` : `${formatContract(info)}\n`);
    return 0;
  },
};

const callCommand: Command = {
  summary: "submit a contract operation as a tx and print its result",
  usage: `xinlian contract call NAME OP [--args JSON | --args-file F] --key KEY [--signer-cert CERT] [--passphrase-file F] [--node URL] [--json]`,
  async run(argv) {
    const { values, positionals } = parse(argv, { ...ARGS_OPTIONS, ...SIGNER_OPTIONS, ...CONNECTION_OPTIONS }, 2);
    const name = contractNameOption(positionals[0]);
    const op = operationOption(positionals[1]);
    const args = argsOption(values);
    const session = await signerSession(values, 'KEY');
    const receipt = await session.contract(name).submit(op, args);
    process.stdout.write(values.json === true ? `${JSON.stringify(receipt)}\n`
      : `${name}.${op} committed in block ${receipt.height} (tx ${receipt.txId}, ${receipt.steps} steps)\n${JSON.stringify(receipt.result, null, 2)}\n`);
    return 0;
  },
};

const query: Command = {
  summary: 'evaluate a contract operation on the latest state (nothing is written)',
  usage: 'xinlian contract query NAME OP [--args JSON | --args-file F] [--key KEY [--signer-cert CERT] [--passphrase-file F]] [--node URL] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { ...ARGS_OPTIONS, ...SIGNER_OPTIONS, ...CONNECTION_OPTIONS }, 2);
    const name = contractNameOption(positionals[0]);
    const op = operationOption(positionals[1]);
    const args = argsOption(values);
    const url = nodeUrl(values);
    const keyFile = optional(values.key) ?? process.env.XINLIAN_KEY;
    let client = new XinlianClient(url);
    if (keyFile !== undefined) {
      // Signed, the query runs as this member (its organisation and role are the contract's ctx.caller).
      const identity = identityFromFiles(keyFile, optional(values['signer-cert']), passphraseFrom(values['passphrase-file']));
      client = new XinlianClient(url, { reader: { identity, chainId: (await client.status()).chainId } });
    }
    const view = await client.evaluate(name, op, args);
    process.stdout.write(values.json === true ? `${JSON.stringify(view)}\n` : `${JSON.stringify(view.result, null, 2)}\n`);
    return 0;
  },
};

export const contract: Command = {
  summary: 'smart contracts: new | test | build | deploy | list | show | call | query',
  usage: `xinlian contract new|test|build|deploy|list|show|call|query ...\n  ${[create, testCommand, build, deploy, list, show, callCommand, query].map((c) => c.usage.split('\n')[0]).join('\n  ')}`,
  subcommands: { new: create, test: testCommand, build, deploy, list, show, call: callCommand, query },
  async run(argv) {
    throw new UsageError(argv[0] === undefined ? 'contract needs a subcommand: new | test | build | deploy | list | show | call | query' : `unknown subcommand "${argv[0]}"`);
  },
};
