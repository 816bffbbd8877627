import { existsSync } from 'node:fs';
import { CHAIN_PARAMETER_BOUNDS, isSuiteName, type ChainParameters } from '@xinlian/protocol';
import { initChain, startNode } from '@xinlian/node';
import { integerOption, optional, parse, passphraseFrom, required, UsageError } from '../cliError.js';
import type { Command } from './command.js';
import { untilSignal } from '../untilSignal.js';

/** Chain parameters settable at init (genesis), flag → parameter. */
const PARAMETER_FLAGS: Array<[string, keyof ChainParameters]> = [
  ['block-interval-ms', 'blockIntervalMs'],
  ['block-txs-max', 'blockTxsMax'],
  ['block-bytes-max', 'blockBytesMax'],
  ['tx-bytes-max', 'txBytesMax'],
  ['tx-expiry-heights-max', 'txExpiryHeightsMax'],
];

export const init: Command = {
  summary: 'create a chain: organisation CAs, identities, node homes and genesis.json',
  usage: 'xinlian init DIR --suite gm|intl [--orgs N] [--validators N] [--observers N] [--chain-id ID] [--api-port-base P] [--p2p-port-base P] [--passphrase-file F]\n       [--block-interval-ms N] [--block-txs-max N] [--block-bytes-max N] [--tx-bytes-max N] [--tx-expiry-heights-max N]',
  async run(argv) {
    const { values, positionals } = parse(argv, {
      suite: { type: 'string' }, orgs: { type: 'string' }, validators: { type: 'string' }, observers: { type: 'string' }, 'chain-id': { type: 'string' },
      'api-port-base': { type: 'string' }, 'p2p-port-base': { type: 'string' }, 'passphrase-file': { type: 'string' },
      ...Object.fromEntries(PARAMETER_FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
    }, 1);
    const dir = required(positionals[0], 'DIR');
    const suite = required(values.suite, '--suite gm|intl');
    if (!isSuiteName(suite)) throw new UsageError(`--suite must be gm or intl, got "${suite}"`);
    const result = await initChain({
      dir,
      suite,
      orgs: integerOption(values.orgs, '--orgs', 1, 1, 100),
      validators: integerOption(values.validators, '--validators', 1, 1, 100),
      observers: integerOption(values.observers, '--observers', 0, 0, 100),
      chainId: optional(values['chain-id']),
      apiPortBase: integerOption(values['api-port-base'], '--api-port-base', 8700, 0, 65000),
      p2pPortBase: integerOption(values['p2p-port-base'], '--p2p-port-base', 26650, 1, 65000),
      passphrase: passphraseFrom(values['passphrase-file']),
      genesisTimeMs: Date.now(),
      parameters: Object.fromEntries(PARAMETER_FLAGS.filter(([flag]) => values[flag] !== undefined).map(([flag, name]) => {
        const [min, max] = CHAIN_PARAMETER_BOUNDS[name];
        return [name, integerOption(values[flag], `--${flag}`, 0, min, max)];
      })),
    });
    process.stdout.write(`initialised chain ${result.chainId} (${suite}) in ${dir}\n  genesis: ${result.genesisFile}\n  nodes:   ${result.nodeHomes.join(', ')}\n${result.observerHomes.length > 0 ? `  observers: ${result.observerHomes.join(', ')}\n` : ''}`);
    return 0;
  },
};

export const start: Command = {
  summary: 'run a node from its home directory (until SIGINT/SIGTERM)',
  usage: 'xinlian start NODE_HOME [--api-port P] [--passphrase-file F]',
  async run(argv) {
    const { values, positionals } = parse(argv, { 'api-port': { type: 'string' }, 'passphrase-file': { type: 'string' } }, 1);
    const home = required(positionals[0], 'NODE_HOME');
    if (!existsSync(home)) throw new UsageError(`no such node home: ${home}`);
    const apiPort = values['api-port'] === undefined ? undefined : integerOption(values['api-port'], '--api-port', 0, 0, 65535);
    const node = await startNode({ home, passphrase: passphraseFrom(values['passphrase-file']), ...(apiPort === undefined ? {} : { apiPort }) });
    process.stderr.write(`xinlian node serving ${node.url}\n`);
    await untilSignal(() => node.close());
    return 0;
  },
};
