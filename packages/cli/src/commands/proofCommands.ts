import { verifyProofBundle, toHex, fromUtf8 } from '@xinlian/protocol';
import { nodeSuite } from '@xinlian/crypto-node';
import { parse, required, UsageError } from '../cliError.js';
import type { Command } from './command.js';
import { readGenesisFile, readProofFile } from './readGenesis.js';
import { runCheck } from './runCheck.js';

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
    return runCheck(values.json === true, () => {
      const verified = verifyProofBundle(readProofFile(bundlePath), genesis, nodeSuite(genesis.suite));
      const { tx, state, ...rest } = verified;
      const view = {
        ...rest,
        ...(tx ? { tx: { txId: tx.txId, type: tx.type, signer: tx.signer, result: { code: tx.result.code, message: tx.result.message } } } : {}),
        ...(state ? { state: { key: toHex(state.key), value: state.value === null ? null : toHex(state.value) } } : {}),
      };
      const lines = [`VALID ${verified.kind} proof, chain ${verified.chainId}, block ${verified.height} (${new Date(verified.blockTimeMs).toISOString()})`];
      if (tx) lines.push(`  tx ${tx.txId} ${tx.type} by ${tx.signer.commonName} (${tx.signer.org}): ${tx.result.code}`);
      if (state) lines.push(`  key ${printable(state.key)} = ${state.value === null ? '(absent)' : printable(state.value)}`);
      lines.push(...verified.checks.map((c) => `  ✓ ${c}`));
      return { text: lines.join('\n'), view };
    });
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
