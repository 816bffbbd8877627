import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSuiteName, pureSuite, verifyEvidence, XinlianError } from '@xinlian/protocol';
import { initChain, startNode, type RunningNode } from '@xinlian/node';
import { identityFromFiles, XinlianSession } from '@xinlian/sdk';
import { integerOption, optional, parse, UsageError } from '../cliError.js';
import type { Command } from './command.js';
import { untilSignal } from '../untilSignal.js';
import { formatCertificate } from './evidenceCommands.js';
import { readGenesisFile } from './readGenesis.js';

async function startOnFreePort(home: string, port: number): Promise<RunningNode> {
  try {
    return await startNode({ home, apiPort: port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stdout.write(`port ${port} is busy; using a free port\n`);
    return startNode({ home, apiPort: 0 });
  }
}

/** The walkthrough behind `npm run demo`: a chain, a node, a deposit, an offline verification. */
export const demo: Command = {
  summary: 'run the walkthrough: init a dev chain, start a node, deposit and verify a document',
  usage: 'xinlian demo [--exit] [--dir DIR] [--suite gm|intl] [--port P]',
  async run(argv) {
    const { values } = parse(argv, { exit: { type: 'boolean' }, dir: { type: 'string' }, suite: { type: 'string' }, port: { type: 'string' } }, 0);
    const dir = resolve(optional(values.dir) ?? '.demo');
    const suite = optional(values.suite) ?? 'gm';
    if (!isSuiteName(suite)) throw new UsageError(`--suite must be gm or intl, got "${suite}"`);
    const chainDir = join(dir, suite);
    const step = (text: string): void => {
      process.stdout.write(`\n== ${text}\n`);
    };

    step(`1. chain (${suite === 'gm' ? 'SM2/SM3/SM4' : 'Ed25519/SHA-256/AES-GCM'}) in ${chainDir}`);
    if (existsSync(join(chainDir, 'genesis.json'))) {
      process.stdout.write('reusing the existing dev chain\n');
    } else {
      mkdirSync(dir, { recursive: true });
      await initChain({ dir: chainDir, suite, orgs: 2, validators: 1, chainId: `xinlian-demo-${suite}`, apiPortBase: 8700, genesisTimeMs: Date.now() });
      process.stdout.write('created 2 organisations (CA, admin, client), 1 validator node, genesis.json\n');
    }
    const genesisFile = join(chainDir, 'genesis.json');

    step('2. node');
    const node = await startOnFreePort(join(chainDir, 'nodes', 'node0'), integerOption(values.port, '--port', 8700, 0, 65535));
    process.stdout.write(`API ${node.url}  (OpenAPI ${node.url}/openapi.json, metrics ${node.url}/metrics, events ${node.url}/v1/events)\n`);
    try {
      step('3. deposit a document as org2\'s client');
      const documentPath = join(dir, 'sample-contract.txt');
      writeFileSync(documentPath, `Supply contract between Organisation 1 and Organisation 2.\nDrafted ${new Date().toISOString()}.\n`);
      const identity = identityFromFiles(join(chainDir, 'orgs', 'org2', 'client.key.pem'));
      const session = await XinlianSession.connect(node.url, identity, readGenesisFile(genesisFile));
      const receipt = await session.depositEvidence(readFileSync(documentPath), 'Supply contract (demo)');
      const proofPath = `${documentPath}.proof.json`;
      writeFileSync(proofPath, `${JSON.stringify(receipt.proof, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify({ txId: receipt.txId, height: receipt.height, blockTime: new Date(receipt.blockTimeMs).toISOString(), hash: receipt.hash, proof: proofPath }, null, 2)}\n`);

      step('4. offline verification (no node): genesis.json + the document + the proof bundle');
      const genesis = readGenesisFile(genesisFile);
      const certificate = verifyEvidence(pureSuite(suite).hash(readFileSync(documentPath)), receipt.proof, genesis, pureSuite(suite));
      process.stdout.write(`${formatCertificate(certificate)}\n(verified with the pure-JS verifier that also runs in browsers)\n`);
      process.stdout.write(`same check from the shell:\n  npx xinlian evidence verify ${documentPath} --proof ${proofPath} --genesis ${genesisFile}\n`);

      step('5. a tampered copy is rejected');
      const tampered = Buffer.concat([readFileSync(documentPath), Buffer.from(' ')]);
      try {
        verifyEvidence(pureSuite(suite).hash(tampered), receipt.proof, genesis, pureSuite(suite));
        throw new Error('a tampered document verified: this must never happen');
      } catch (error) {
        if (!(error instanceof XinlianError)) throw error;
        process.stdout.write(`rejected: ${error.message}\n`);
      }
    } catch (error) {
      await node.close();
      throw error;
    }
    if (values.exit) {
      await node.close();
      process.stdout.write('\ndemo finished\n');
      return 0;
    }
    process.stdout.write(`\nThe node keeps serving ${node.url} — press Ctrl-C to stop.\n`);
    await untilSignal(() => node.close());
    return 0;
  },
};
