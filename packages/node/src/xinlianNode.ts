import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  aclAllows, assert, AssertionFailed, type AclRule, bytesEqual, consortiumView, GOV_PROPOSE_TYPE, GOV_VOTE_TYPE, MembershipVerifier, parseGenesis, pemEncode,
  sysKey, validatorSetAt, validatorSetFromGenesis, XinlianError, type ChainParameters, type Genesis,
} from '@xinlian/protocol';
import { createVerifyPool, loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { Admission } from './admission/admission.js';
import { apiRoutes } from './api/routes.js';
import { createHttpServer } from './api/httpServer.js';
import { openApiDocument } from './api/routeSpec.js';
import { explorerDistDir, explorerRoutes } from './api/explorerRoutes.js';
import { CommitFeed } from './api/commitFeed.js';
import { createNodeServices, type NodeServices } from './api/nodeServices.js';
import { builtInHandlers } from './execution/handlers.js';
import { ContractRunner } from './execution/contracts/contractHandler.js';
import { ContractReader } from './api/contractViews.js';
import { QueryBudget } from './api/queryBudget.js';
import { ContractSandbox } from '@xinlian/contracts/sandbox';
import { openChainStore, type ChainStore } from './ledger/chainStore.js';
import { lockNodeHome } from './nodeHomeLock.js';
import { Ledger } from './ledger/ledger.js';
import { InlineExecutor, type BlockExecutor } from './ledger/blockExecutor.js';
import type { HandlerTable } from './execution/handlerTable.js';
import type { TxHandler } from './execution/application.js';
import { WorkerExecutor } from './ledger/workerExecutor.js';
import { InlineQueries, type ContractQueries } from './ledger/contractQuery.js';
import { ProofBuilder } from './ledger/proofBuilder.js';
import { createLogger, type Logger } from './log/logger.js';
import { TxPool } from './mempool/txPool.js';
import { nodeMetrics } from './metrics/nodeMetrics.js';
import { loadNodeConfig, resolveIn, type NodeConfig } from './nodeConfig.js';
import { BlockProducer } from './blockProducer.js';
import { StateTree } from './state/stateTree.js';
import { restorePending } from './admission/restorePending.js';
import { ConsensusDriver, type PeerTransport } from './consensus/consensusDriver.js';
import { ValidatorSchedule } from './ledger/validatorSchedule.js';
import { hexKey } from './hexKey.js';
import { createReadAccess, createReaderIdentity } from './api/readAccess.js';
import { WriteAheadLog } from './consensus/writeAheadLog.js';
import { MisbehaviourStore } from './consensus/misbehaviourStore.js';
import type { Evidence } from '@xinlian/consensus';
import { networkTransport } from './consensus/networkTransport.js';
import { createPeerNetwork } from './p2p/index.js';
import type { CommittedBlock } from './ledger/ledger.js';

function parsePeerAddress(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
}


export interface StartOptions {
  home: string;
  passphrase?: string;
  /** Wall clock for block times; injected so tests can control it. */
  nowMs?: () => number;
  logger?: Logger;
  /** Overrides config.json's apiPort (0: any free port). */
  apiPort?: number;
  /** Carries consensus and gossip to the other validators (required when genesis has several). */
  transport?: PeerTransport;
}

export interface RunningNode {
  url: string;
  services: NodeServices;
  close(): Promise<void>;
}

export const NODE_VERSION = '0.1.0';

/** The composition root: reads the node home, wires the modules, starts the API and the producer. */
export async function startNode(options: StartOptions): Promise<RunningNode> {
  const config = loadNodeConfig(options.home);
  const nowMs = options.nowMs ?? (() => Date.now());
  const logger = options.logger ?? createLogger({ level: config.logLevel, write: (line) => process.stdout.write(line), nowMs, fields: { node: config.nodeName } });
  const genesisJson = readFileSync(join(config.home, 'genesis.json'), 'utf8');
  const genesis: Genesis = parseGenesis(JSON.parse(genesisJson));
  const suite = nodeSuite(genesis.suite);
  const key = loadSigningKey(readFileSync(resolveIn(config.home, config.keyFile), 'utf8'), options.passphrase);
  if (key.suite !== genesis.suite) throw new XinlianError('KEY_INVALID', `node key is ${key.suite}, the chain is ${genesis.suite}`);

  const unlock = lockNodeHome(config.home);
  let store;
  try {
    store = openChainStore(resolveIn(config.home, config.dataDir));
  } catch (error) {
    unlock();
    throw error;
  }
  try {
    return await assemble(config, options, { genesis, genesisJson, suite, key, store, unlock, nowMs, logger });
  } catch (error) {
    await store.close();
    unlock();
    throw error;
  }
}

/**
 * Where blocks and queries execute (ADR 014): a worker thread for blocks and one for queries, each
 * with its own sandbox, unless config.json says 0 threads: then the main thread has the one sandbox
 * (calls are synchronous, so blocks and queries never interleave). The main thread's handler
 * table then serves admission only (is a tx type known): it never runs a contract.
 */
async function executionOf(
  config: NodeConfig & { home: string },
  parts: { genesis: Genesis; genesisJson: string; suite: ReturnType<typeof nodeSuite>; state: StateTree },
  undo: Array<() => unknown>,
): Promise<{ executor: BlockExecutor; queries: ContractQueries; handlers: HandlerTable }> {
  const { genesis, genesisJson, suite, state } = parts;
  if (config.executionThreads === 0) {
    const contracts = new ContractRunner(await ContractSandbox.create());
    const handlers = builtInHandlers({ suite, contracts });
    return { executor: new InlineExecutor({ genesis, hash: suite.hash, state, handlers }), queries: new InlineQueries(state, contracts, suite.hash, () => performance.now()), handlers };
  }
  const workerData = { dataDir: resolveIn(config.home, config.dataDir), genesisJson };
  const [executor, queries] = await Promise.all([WorkerExecutor.start(workerData), WorkerExecutor.start(workerData)]);
  undo.push(() => executor.close(), () => queries.close());
  const onWorkers = { handler: (): TxHandler => () => { throw new AssertionFailed('contract calls execute on the execution worker, never on the main thread'); } };
  return { executor, queries, handlers: builtInHandlers({ suite, contracts: onWorkers }) };
}

interface Parts {
  genesis: Genesis;
  genesisJson: string;
  suite: ReturnType<typeof nodeSuite>;
  key: ReturnType<typeof loadSigningKey>;
  store: ChainStore;
  unlock: () => void;
  nowMs: () => number;
  logger: Logger;
}

/**
 * Wires the modules on an opened store; any failure here closes the store and frees the home
 * (startNode), and closes again whatever the wiring had opened (worker threads, the API server,
 * the p2p listener), newest first: otherwise a node that fails to start (a p2p port in use) would
 * report the error and keep running.
 */
async function assemble(config: NodeConfig & { home: string }, options: StartOptions, parts: Parts): Promise<RunningNode> {
  const undo: Array<() => unknown> = [];
  try {
    return await wire(config, options, parts, undo);
  } catch (error) {
    for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => {});
    throw error;
  }
}

async function wire(config: NodeConfig & { home: string }, options: StartOptions, parts: Parts, undo: Array<() => unknown>): Promise<RunningNode> {
  const { genesis, genesisJson, suite, key, store, unlock, nowMs, logger } = parts;
  const state = new StateTree(store.db, suite.hash);
  // The set deciding height h follows from the state after h - 1 (genesis's until block 1 wrote
  // it, ADR 008). A node whose key is in no set is an observer: it follows and serves the chain,
  // and votes from the height at which governance adds it.
  const validators = new ValidatorSchedule(validatorSetFromGenesis(genesis), suite.hash, (height) =>
    validatorSetAt({ get: (key) => state.get(key, height - 1) }, height)?.set);
  const { executor, queries, handlers } = await executionOf(config, { genesis, genesisJson, suite, state }, undo);
  const ledger = new Ledger({ genesis, suite, store, executor, validators, selfPublicKey: key.publicKey, signPrecommit: (d) => key.sign(d) });
  const header = ledger.latestHeader;
  assert(header === undefined || bytesEqual(state.rootAt(header.height), header.stateRoot), 'state root on disk does not match the latest header');
  const pool = new TxPool({ txsMax: config.mempoolTxsMax, bytesMax: config.mempoolBytesMax });
  const membership = new MembershipVerifier(genesis, suite);
  // Chain parameters in force: genesis's until governance changes them; re-read after such blocks.
  let currentParameters = genesis.parameters;
  const parameters = (): ChainParameters => currentParameters;
  const verifyPool = config.verifyThreads > 0 ? createVerifyPool({ suite: genesis.suite, threads: config.verifyThreads }) : undefined;
  undo.push(() => verifyPool?.close());
  const verifyBatch = async (items: Array<{ publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }>) =>
    verifyPool !== undefined && items.length >= 8
      ? verifyPool.verifyBatch(items)
      : items.map((i) => suite.verify(i.publicKey, i.message, i.signature));
  const chainHead = () => ({ height: ledger.height, timeMs: ledger.latestTimeMs });
  // Admission asks per tx; the answers change only with governance blocks, which clear them.
  const aclCache = new Map<string, AclRule | null>();
  const revokedCache = new Map<string, boolean>();
  const txAllowed = (txType: string, org: string, role: string): boolean => {
    let rule = aclCache.get(txType);
    if (rule === undefined) aclCache.set(txType, (rule = consortiumView({ get: (k) => state.get(k) }).txAcl(txType) ?? null));
    return rule === null || aclAllows(rule, org, role);
  };
  const admission = new Admission({ genesis, parameters, suite, membership, handlers, store, pool, verifyBatch, chainHead, txAllowed });
  const feed = new CommitFeed(config.waitersMax);
  const proofs = new ProofBuilder(genesis, suite, store, state, validators);
  const restored = restorePending(store, admission, pool, logger);
  const metrics = nodeMetrics({ ledger, pool, feed });
  const onCommitted = (block: CommittedBlock): void => {
    metrics.block.observe(block.header.height, block.txs.length, 0);
    feed.publish(block);
  };
  // Membership follows governance at once (ADR 008): organisations after every block that may
  // have changed them; revocations are read from the latest state on every check.
  membership.setRevocationCheck((certHash) => {
    const key = hexKey(certHash);
    let revoked = revokedCache.get(key);
    if (revoked === undefined) {
      revoked = state.get(sysKey.revoked(certHash)) !== undefined;
      if (revokedCache.size >= config.mempoolTxsMax) revokedCache.clear();
      revokedCache.set(key, revoked);
    }
    return revoked;
  });
  const refreshConsortium = (): void => {
    const view = consortiumView({ get: (k) => state.get(k) });
    if (!view.materialised()) return;
    currentParameters = view.params() ?? genesis.parameters;
    membership.setOrganisations(view.organisations().filter((o) => o.removedHeight === 0).map((o) => ({ id: o.id, caCertPem: pemEncode('CERTIFICATE', o.caCertDer) })));
  };
  refreshConsortium();
  feed.subscribe((block) => {
    if (block.header.height !== 1 && !block.txs.some((tx) => tx.body.type === GOV_PROPOSE_TYPE || tx.body.type === GOV_VOTE_TYPE)) return;
    aclCache.clear();
    revokedCache.clear();
    refreshConsortium();
    const dropped = network?.recheckPeers() ?? 0;
    if (dropped > 0) logger.warn('peers dropped after a membership change', { height: block.header.height, dropped });
  });
  // A sole validator with no peers makes blocks alone (single-node mode); otherwise the nodes run
  // Tendermint over the network (observers included).
  const genesisSet = validators.at(1);
  const singleNode = options.transport === undefined && config.peers.length === 0 && genesisSet.length === 1 && bytesEqual(genesisSet[0]!.publicKey, key.publicKey);
  const network = !singleNode && options.transport === undefined ? createPeerNetwork({
    genesis, suite: genesis.suite, key, cert: readFileSync(resolveIn(config.home, config.certFile), 'utf8'),
    listen: { host: config.p2pHost, port: config.p2pPort }, peers: config.peers.map(parsePeerAddress), logger, nowMs, membership,
  }) : undefined;
  const transport = options.transport ?? (network === undefined ? undefined : networkTransport(network));
  const misbehaviour = new MisbehaviourStore(store, genesis, suite.hash);
  const wal = transport === undefined ? undefined : WriteAheadLog.open(join(resolveIn(config.home, config.dataDir), 'consensus.wal'));
  undo.push(() => wal?.close());
  const driver = transport === undefined ? undefined : new ConsensusDriver({
    genesis, suite, validators, publicKey: key.publicKey, sign: (digest) => key.sign(digest), ledger, store, pool,
    wal: wal!,
    transport, checks: { genesis, parameters, suite, membership, handlers, store, verifyBatch },
    parameters, clockDriftMaxMs: 10_000, gossipIntervalMs: 1000, proposalExecutionMsMax: config.proposalExecutionMsMax, nowMs, logger, onCommitted,
    onEvidence: (evidence) => misbehaviour.add(evidence as Evidence),
  });
  const producer = driver === undefined
    ? new BlockProducer({ ledger, pool, feed, parameters, nowMs, logger, metrics: metrics.block, executionMsMax: config.proposalExecutionMsMax })
    : undefined;
  undo.push(() => producer?.stop(), () => driver?.stop());
  // Txs from peers are admitted (checked, verified) but not gossiped again: every node sends its own
  // clients' txs to all its peers directly, so one hop reaches everyone.
  if (driver !== undefined) driver.onPeerTxs = (txs) => void admission.admit(txs, 'peer').catch(() => {});

  const services = createNodeServices({
    genesis, suite, store, state, pool, admission, proofs, feed, ledger, validators,
    metrics: metrics.registry, streamsMax: config.streamsMax,
    misbehaviour: (limit) => misbehaviour.list(limit),
    peerCount: () => network?.peers().length ?? 0,
    peerList: () => (network?.peers() ?? []).map(({ id, name, org, address, direction, connectedSinceMs }) => ({ id, name, org, address, direction, connectedSinceMs })), consensusStatus: () => driver?.status(), nodeName: config.nodeName, org: config.org, version: NODE_VERSION,
    authorizeRead: createReadAccess({ chainId: genesis.chainId, suite, membership, state: { get: (k) => state.get(k) }, nowMs }),
    identifyReader: createReaderIdentity({ chainId: genesis.chainId, suite, membership, state: { get: (k) => state.get(k) }, nowMs }),
    // Queries may take at most a quarter of each second of their thread (QueryBudget).
    contracts: new ContractReader(state, ledger, queries, new QueryBudget(() => performance.now(), 250)),
  });
  const routes = apiRoutes(services);
  const openapi = openApiDocument(routes, { title: 'Xinlian node API', version: NODE_VERSION });
  const server = createHttpServer({
    routes: [...routes, { method: 'GET', path: '/openapi.json', handler: async () => openapi }, ...explorerRoutes({ distDir: explorerDistDir() })],
    bodyBytesMax: config.apiBodyBytesMax,
    logger,
    onRequest: (route, status) => metrics.requests.inc(1, { route, status: String(status) }),
  });
  server.maxConnections = config.apiConnectionsMax;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.apiPort ?? config.apiPort, config.apiHost, () => resolve());
  });
  undo.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.apiHost}:${port}`;
  writeFileSync(join(config.home, 'node.json'), `${JSON.stringify({ pid: process.pid, apiUrl: url, chainId: genesis.chainId })}\n`);
  undo.push(() => rmSync(join(config.home, 'node.json'), { force: true }));
  logger.info('node started', { url, height: ledger.height, chainId: genesis.chainId, suite: genesis.suite, restoredPendingTxs: restored });
  admission.onAdmitted = (txs, source) => {
    producer?.schedule();
    if (source === 'client') driver?.gossipTxs(txs);
  };
  producer?.schedule();
  undo.push(() => network?.stop());
  await network?.start();
  driver?.start();

  let closed = false;
  return {
    url,
    services,
    async close() {
      if (closed) return;
      closed = true;
      await producer?.stop();
      driver?.stop();
      await network?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await verifyPool?.close();
      await executor.close();
      if (queries instanceof WorkerExecutor) await queries.close();
      wal?.close();
      await store.close();
      rmSync(join(config.home, 'node.json'), { force: true });
      unlock();
      logger.info('node stopped', { height: ledger.height });
    },
  };
}

