import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyEvidence, type EvidenceCertificate } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { identityFromFiles, XinlianSession } from '@xinlian/sdk';
import { optional, parse, passphraseFrom, required, UsageError } from '../cliError.js';
import type { Command } from './command.js';
import { readGenesisFile, readProofFile } from './readGenesis.js';
import { runCheck } from './runCheck.js';

export const DEFAULT_NODE_URL = 'http://127.0.0.1:8700';

export function formatCertificate(c: EvidenceCertificate): string {
  const validators = c.validators.map((v) => `${v.name} (${v.org})`).join(', ');
  return [
    'EVIDENCE CERTIFICATE — verified offline against genesis',
    `  document   ${c.hashAlgorithm} ${c.documentHash}`,
    `  title      ${c.title || '(none)'}`,
    `  deposited  ${new Date(c.blockTimeMs).toISOString()} (block time)`,
    `  by         ${c.depositor.commonName}, organisation ${c.depositor.org}`,
    `  chain      ${c.chainId}, block ${c.height} ${c.blockHash}`,
    `  tx         ${c.txId}`,
    `  signed by  ${validators}`,
    '  checks:',
    ...c.checks.map((check) => `    ✓ ${check}`),
  ].join('\n');
}

const deposit: Command = {
  summary: 'deposit a document hash and write its proof bundle',
  usage: 'xinlian evidence deposit FILE [--title T] [--node URL] [--key KEY] [--cert CERT] [--proof-out PATH] [--passphrase-file F] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, {
      title: { type: 'string' }, node: { type: 'string' }, key: { type: 'string' }, cert: { type: 'string' },
      'proof-out': { type: 'string' }, 'passphrase-file': { type: 'string' }, json: { type: 'boolean' },
    }, 1);
    const file = required(positionals[0], 'FILE');
    const keyFile = optional(values.key) ?? process.env.XINLIAN_KEY;
    if (keyFile === undefined) throw new UsageError('missing --key KEY (or XINLIAN_KEY)');
    const identity = identityFromFiles(keyFile, optional(values.cert), passphraseFrom(values['passphrase-file']));
    const session = await XinlianSession.connect(optional(values.node) ?? process.env.XINLIAN_NODE ?? DEFAULT_NODE_URL, identity);
    const document = readFileSync(file);
    const receipt = await session.depositEvidence(document, optional(values.title) ?? '');
    const proofPath = resolve(optional(values['proof-out']) ?? `${file}.proof.json`);
    writeFileSync(proofPath, `${JSON.stringify(receipt.proof, null, 2)}\n`);
    const out = {
      txId: receipt.txId, height: receipt.height, blockTime: new Date(receipt.blockTimeMs).toISOString(), blockTimeMs: receipt.blockTimeMs,
      hash: receipt.hash, hashAlgorithm: receipt.certificate.hashAlgorithm, title: receipt.title, proof: proofPath,
      depositor: receipt.certificate.depositor, chainId: receipt.certificate.chainId,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    else process.stdout.write(`deposited ${file}\n  hash    ${out.hash}\n  tx      ${out.txId}\n  block   ${out.height} at ${out.blockTime}\n  proof   ${proofPath}\n`);
    return 0;
  },
};

const verify: Command = {
  summary: 'check a document against a proof bundle, offline',
  usage: 'xinlian evidence verify FILE --proof BUNDLE --genesis genesis.json [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { proof: { type: 'string' }, genesis: { type: 'string' }, json: { type: 'boolean' } }, 1);
    const file = required(positionals[0], 'FILE');
    const bundlePath = required(values.proof, '--proof BUNDLE');
    const genesis = readGenesisFile(required(values.genesis, '--genesis genesis.json'));
    const suite = nodeSuite(genesis.suite);
    return runCheck(values.json === true, () => {
      const certificate = verifyEvidence(suite.hash(readFileSync(file)), readProofFile(bundlePath), genesis, suite);
      return { text: formatCertificate(certificate), view: { certificate } };
    });
  },
};

const SUBCOMMANDS: Record<string, Command> = { deposit, verify };

export const evidence: Command = {
  summary: 'evidence deposit (存证): deposit | verify',
  usage: 'xinlian evidence deposit|verify ...',
  async run(argv) {
    const [sub, ...rest] = argv;
    const command = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (command === undefined) throw new UsageError(`evidence needs a subcommand: deposit | verify\n  ${deposit.usage}\n  ${verify.usage}`);
    return command.run(rest);
  },
};
