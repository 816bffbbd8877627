import { existsSync, writeFileSync } from 'node:fs';
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

export const contract: Command = {
  summary: 'smart contracts: build',
  usage: `xinlian contract build ...\n  ${build.usage}`,
  subcommands: { build },
  async run(argv) {
    throw new UsageError(argv[0] === undefined ? 'contract needs a subcommand: build' : `unknown subcommand "${argv[0]}"`);
  },
};
