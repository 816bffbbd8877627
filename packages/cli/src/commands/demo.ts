import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSuiteName, pureSuite, verifyEvidence, XinlianError } from '@xinlian/protocol';
import { initChain } from '@xinlian/node';
import { identityFromFiles, XinlianSession } from '@xinlian/sdk';
import { integerOption, optional, parse, UsageError } from '../cliError.js';
import type { Command } from './command.js';
import { untilSignal } from '../untilSignal.js';
import { freePortBases, networkDown, networkUp, nodeStatus, type NodeStatus } from '../localNetwork.js';
import { formatCertificate } from './evidenceCommands.js';
import { readGenesisFile } from './readGenesis.js';
import { traceabilityDemo } from './demoTraceability.js';

const VALIDATORS = 4;

function formatNodes(nodes: NodeStatus[]): string {
  return nodes.map((n) => `  ${n.node}  ${n.url ?? '-'}  pid ${n.pid ?? '-'}  height ${n.height ?? '-'}  peers ${n.peers ?? '-'}`).join('\n');
}

/**
 * The walkthrough behind `npm run demo`: a 4-validator chain of 4 organisations as 4 processes,
 * a deposit through one node, its offline verification against the validators' signatures, and
 * the traceability contract deployed by vote and used by four organisations.
 */
export const demo: Command = {
  summary: 'run the walkthrough: a 4-validator network, deposit a document, verify it offline, trace a product with a contract',
  usage: 'xinlian demo [--exit] [--dir DIR] [--suite gm|intl] [--port P] [--timeout-ms N]',
  async run(argv) {
    const { values } = parse(argv, {
      exit: { type: 'boolean' }, dir: { type: 'string' }, suite: { type: 'string' }, port: { type: 'string' }, 'timeout-ms': { type: 'string' },
    }, 0);
    const timeoutMs = integerOption(values['timeout-ms'], '--timeout-ms', 60_000, 1000, 600_000);
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
      // --port 0: any free ports (the preferred ones are never free at port 0).
      const ports = await freePortBases(VALIDATORS, { api: integerOption(values.port, '--port', 8700, 0, 65535 - VALIDATORS), p2p: 26650 });
      await initChain({
        dir: chainDir, suite, orgs: VALIDATORS, validators: VALIDATORS, chainId: `xinlian-demo-${suite}`,
        apiPortBase: ports.api, p2pPortBase: ports.p2p, genesisTimeMs: Date.now(),
      });
      process.stdout.write(`created ${VALIDATORS} organisations (CA, admin, client) with one validator node each, genesis.json\n`);
    }
    const genesisFile = join(chainDir, 'genesis.json');

    step(`2. network: ${VALIDATORS} validator processes over mutual TLS (BFT: any ${VALIDATORS - 1} of them commit)`);
    const nodes = await networkUp(chainDir, timeoutMs);
    process.stdout.write(`${formatNodes(nodes)}\n`);
    const url = nodes[1]!.url!;
    process.stdout.write(`every node's API takes txs and queries: OpenAPI ${url}/openapi.json, metrics ${url}/metrics, events ${url}/v1/events\n`);
    process.stdout.write(`explorer: ${url}/explorer/\n`);
    const stop = async (): Promise<void> => { await networkDown(chainDir, 10_000); };
    try {
      step(`3. deposit a document as org2's client, through ${nodes[1]!.node}`);
      const documentPath = join(dir, 'sample-contract.txt');
      writeFileSync(documentPath, `Supply contract between Organisation 1 and Organisation 2.\nDrafted ${new Date().toISOString()}.\n`);
      const identity = identityFromFiles(join(chainDir, 'orgs', 'org2', 'client.key.pem'));
      const session = await XinlianSession.connect(url, identity, readGenesisFile(genesisFile));
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

      step('6. a smart contract: product traceability on GS1 EPCIS 2.0, approved by the consortium');
      await traceabilityDemo(url, chainDir, genesis, (text) => process.stdout.write(text));

      step('7. network status');
      process.stdout.write(`${formatNodes(await Promise.all(nodes.map((n) => nodeStatus(n.home))))}\n`);
    } catch (error) {
      await stop();
      throw error;
    }
    if (values.exit) {
      await stop();
      process.stdout.write('\ndemo finished (network stopped)\n');
      return 0;
    }
    process.stdout.write(`\nThe network keeps running (try: npx xinlian net status ${chainDir}) — press Ctrl-C to stop it.\n`);
    process.stdout.write(`explorer: ${url}/explorer/ (blocks, txs, governance, contracts; verify a document or a proof, trace a product, all checked in your browser)\n`);
    await untilSignal(stop);
    return 0;
  },
};
