import { verifyProofBundle, toHex, XinlianError, fromUtf8 } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { parse, required, UsageError } from '../cliError.js';
import type { Command } from './command.js';
import { readGenesisFile, readProofFile } from './readGenesis.js';

function printable(bytes: Uint8Array): string {
  try {
    const text = fromUtf8(bytes);
    return /^[\x20-\x7e]*$/.test(text) ? text : toHex(bytes);
  } catch {
    return toHex(bytes);
  }
}

const verify: Command = {
  summary: 'verify a proof bundle offline against genesis (exit 0 valid, 1 not)',
  usage: 'xinlian proof verify BUNDLE --genesis genesis.json [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { genesis: { type: 'string' }, json: { type: 'boolean' } }, 1);
    const bundlePath = required(positionals[0], 'BUNDLE');
    const genesis = readGenesisFile(required(values.genesis, '--genesis genesis.json'));
    try {
      const verified = verifyProofBundle(readProofFile(bundlePath), genesis, nodeSuite(genesis.suite));
      if (values.json) {
        const { tx, state, ...rest } = verified;
        const view = {
          valid: true, ...rest,
          ...(tx ? { tx: { txId: tx.txId, type: tx.type, signer: tx.signer, result: { code: tx.result.code, message: tx.result.message } } } : {}),
          ...(state ? { state: { key: toHex(state.key), value: state.value === null ? null : toHex(state.value) } } : {}),
        };
        process.stdout.write(`${JSON.stringify(view)}\n`);
      } else {
        const lines = [`VALID ${verified.kind} proof, chain ${verified.chainId}, block ${verified.height} (${new Date(verified.blockTimeMs).toISOString()})`];
        if (verified.tx) lines.push(`  tx ${verified.tx.txId} ${verified.tx.type} by ${verified.tx.signer.commonName} (${verified.tx.signer.org}): ${verified.tx.result.code}`);
        if (verified.state) lines.push(`  key ${printable(verified.state.key)} = ${verified.state.value === null ? '(absent)' : printable(verified.state.value)}`);
        lines.push(...verified.checks.map((c) => `  ✓ ${c}`));
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      return 0;
    } catch (error) {
      if (!(error instanceof XinlianError)) throw error;
      if (values.json) process.stdout.write(`${JSON.stringify({ valid: false, error: error.toJSON() })}\n`);
      else process.stderr.write(`NOT VALID: ${error.message}\n`);
      return 1;
    }
  },
};

export const proof: Command = {
  summary: 'proof bundles: verify',
  usage: 'xinlian proof verify BUNDLE --genesis genesis.json [--json]',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'verify') throw new UsageError('proof needs a subcommand: verify');
    return verify.run(rest);
  },
};
