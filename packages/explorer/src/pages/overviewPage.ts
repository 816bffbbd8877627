// #/ Overview: the chain's status, its validators and their health, the organisations, and the
// latest blocks and txs, kept current by the node's event stream.
import { getJson } from '../api.js';
import type { BlockEventView, BlockView, MembersView, MisbehaviourView, PeerView, StatusView } from '../apiTypes.js';
import { fields, fill, h, heading, table } from '../dom.js';
import { formatTime, shortHash } from '../format.js';
import type { Page } from '../page.js';
import { href } from '../route.js';
import { validatorHealth } from '../validatorHealth.js';

const BLOCKS_SHOWN = 10;
const TXS_SHOWN = 10;
/** How far back the event stream replays to find recent txs on a quiet chain. */
const REPLAY_BLOCKS = 300;
/** Health is refreshed at most this often while blocks stream in. */
const HEALTH_REFRESH_MS = 5000;

interface RecentTx { txId: string; code: string; height: number; timeMs: number }

export const overviewPage: Page = async ({ main, signal }) => {
  const [status, members] = await Promise.all([getJson<StatusView>('/v1/status', signal), getJson<MembersView>('/v1/members', signal)]);
  const height = h('span', null, String(status.height));
  const latestTime = h('span', null, formatTime(status.latestBlockTimeMs));
  const live = h('p', { 'aria-live': 'polite', class: 'live' }, 'Waiting for new blocks…');
  const validators = h('div', null);
  const blocks = h('ol', { 'aria-label': 'Latest blocks', class: 'block-list' });
  const txs = h('ol', { 'aria-label': 'Latest transactions', class: 'tx-list' });
  fill(main,
    heading('Overview'),
    fields([
      ['Chain id', status.chainId], ['Suite', `${status.suite} (${status.suite === 'gm' ? 'SM2/SM3/SM4' : 'Ed25519/SHA-256/AES-GCM'})`],
      ['Height', height], ['Latest block time', latestTime],
      ['Answered by', `${status.nodeName} of ${status.org} (version ${status.version})`],
    ]),
    live,
    h('h2', null, 'Validators'), validators,
    h('h2', null, 'Organisations'),
    table('Organisations', ['Id', 'Name', 'Joined at block', 'Status'], members.organisations.map((o) => [
      o.id, o.name, o.joinedHeight === 0 ? 'genesis' : String(o.joinedHeight), o.removedHeight === null ? 'member' : `removed at block ${o.removedHeight}`,
    ])),
    h('h2', null, 'Latest blocks'), blocks,
    h('h2', null, 'Latest transactions'), txs);

  let refreshedAt = 0;
  const refreshHealth = async (): Promise<void> => {
    refreshedAt = performance.now();
    const [current, peers, latest, misbehaviour] = await Promise.all([
      getJson<StatusView>('/v1/status', signal), getJson<{ peers: PeerView[] }>('/v1/peers', signal),
      getJson<BlockView>('/v1/blocks/latest', signal), getJson<{ misbehaviour: MisbehaviourView[] }>('/v1/misbehaviour', signal),
    ]);
    const inputs = {
      status: current, peers: peers.peers, latestHeight: latest.header.height, misbehaviour: misbehaviour.misbehaviour,
      signedLatest: new Set(latest.commit.signatures.map((s) => s.validatorIndex)),
    };
    fill(validators, table('Validators', ['Name', 'Organisation', 'Power', 'Health'],
      members.validators.map((v) => [v.name, v.org, String(v.power), validatorHealth(v, inputs, formatTime)])));
  };
  await refreshHealth();

  const recentBlocks: BlockEventView[] = [];
  const recentTxs: RecentTx[] = [];
  const showLists = (): void => {
    fill(blocks, recentBlocks.length === 0 ? h('li', null, 'No blocks yet') : recentBlocks.map((b) => h('li', null,
      h('a', { href: href(['blocks', b.height]) }, `Block ${b.height}`), ` · ${formatTime(b.timeMs)} · ${b.txCount} tx${b.txCount === 1 ? '' : 's'} · `,
      h('code', { class: 'hex' }, shortHash(b.hash)))));
    fill(txs, recentTxs.length === 0 ? h('li', null, `No transactions in the last ${REPLAY_BLOCKS} blocks`) : recentTxs.map((t) => h('li', null,
      h('a', { href: href(['txs', t.txId]) }, h('code', { class: 'hex' }, shortHash(t.txId, 16))), ` · block ${t.height} · ${t.code}`)));
  };
  showLists();

  // The stream replays the last blocks, then follows new ones; EventSource resumes by itself
  // after a dropped connection (Last-Event-ID), and the node sends no block twice.
  const events = new EventSource(`/v1/events?fromHeight=${Math.max(1, status.height - REPLAY_BLOCKS + 1)}`);
  signal.addEventListener('abort', () => events.close());
  events.addEventListener('block', (message) => {
    const block = JSON.parse((message as MessageEvent<string>).data) as BlockEventView;
    recentBlocks.unshift(block);
    recentBlocks.length = Math.min(recentBlocks.length, BLOCKS_SHOWN);
    for (const tx of block.txs) recentTxs.unshift({ txId: tx.txId, code: tx.code, height: block.height, timeMs: block.timeMs });
    recentTxs.length = Math.min(recentTxs.length, TXS_SHOWN);
    showLists();
    if (block.height < status.height) return;
    height.textContent = String(block.height);
    latestTime.textContent = formatTime(block.timeMs);
    live.textContent = `Block ${block.height} committed at ${formatTime(block.timeMs)} with ${block.txCount} tx${block.txCount === 1 ? '' : 's'}.`;
    if (performance.now() - refreshedAt > HEALTH_REFRESH_MS) refreshHealth().catch(() => { /* the next block tries again */ });
  });
  events.addEventListener('error', () => {
    if (events.readyState === EventSource.CLOSED) live.textContent = 'The live connection to the node closed; reload the page to resume.';
  });
};
