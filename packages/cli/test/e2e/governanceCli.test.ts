import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOV_KINDS } from '@xinlian/protocol';
import { issueIdentity } from '@xinlian/node';
import { PROPOSE_KIND_NAMES } from '../../src/commands/govCommands.js';
import { runCli, startNodeProcess, tempDir, type CliResult, type NodeProcess } from '../helpers/processes.js';

// Governance through the CLI against a real node process: `xinlian init --orgs 3 --validators 1`,
// `xinlian start`, then proposals and votes signed with the organisations' admin keys.

const dir = tempDir('gov');
const chain = join(dir.path, 'chain');
let node: NodeProcess;

before(async () => {
  const init = await runCli(['init', chain, '--suite', 'intl', '--orgs', '3', '--validators', '1']);
  assert.equal(init.code, 0, init.stderr);
  node = await startNodeProcess(join(chain, 'nodes', 'node0'));
});

after(async () => {
  await node?.stop();
  dir.remove();
});

const adminKey = (org: string): string => join(chain, 'orgs', org, 'admin.key.pem');

function json<T>(result: CliResult, what: string): T {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

interface Receipt { txId: string; height: number; code: string; proposalId: string; status: string; effectiveHeight: number | null; proposal?: Proposal }
interface Proposal {
  id: string; kind: string; status: string; yes: number; no: number; required: number; organisations: number; policy: string;
  decidedHeight: number | null; effectiveHeight: number | null; votes: Array<{ org: string; approve: boolean; txId: string }>; change: Record<string, unknown>;
}
interface Members { height: number; organisations: Array<{ id: string; name: string; caCertPem: string; joinedHeight: number; removedHeight: number | null }>; validators: unknown[] }

test('members before any governance: the genesis organisations and validator', async () => {
  const members = json<Members>(await runCli(['members', '--node', node.url, '--json']), 'members');
  assert.deepEqual(members.organisations.map((o) => [o.id, o.joinedHeight, o.removedHeight]), [['org1', 0, null], ['org2', 0, null], ['org3', 0, null]]);
  assert.equal(members.validators.length, 1);
  const text = await runCli(['members', '--node', node.url]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /org2 +Organisation 2 +\(since genesis\)/);
  assert.match(text.stdout, /node0 +org1 +power 1/);
  const none = await runCli(['gov', 'list', '--node', node.url, '--json']);
  assert.deepEqual(json<{ proposals: unknown[] }>(none, 'gov list'), { proposals: [] });
  const unknown = await runCli(['gov', 'show', '00'.repeat(32), '--node', node.url]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /NOT_FOUND/);
});

test('org1 proposes org4, org2 votes yes: passed under two thirds of 3; a proposal with only its proposer\'s vote stays open', async (t) => {
  const now = Date.now();
  const ca = await issueIdentity({
    suite: 'intl', subject: { commonName: 'Organisation 4 CA', organisation: 'org4' }, notBeforeMs: now - 86_400_000, notAfterMs: now + 10 * 365 * 86_400_000,
  });
  const caFile = join(dir.path, 'org4-ca.cert.pem');
  writeFileSync(caFile, ca.certPem);

  const proposed = await runCli(['gov', 'propose', 'add-org', '--id', 'org4', '--name', 'Organisation 4', '--ca-cert', caFile, '--key', adminKey('org1'), '--node', node.url, '--json']);
  if (proposed.code === 3 && /TX_UNKNOWN_TYPE/.test(proposed.stderr)) {
    // The node refuses gov.propose as an unknown tx type: the execution handlers are not merged yet.
    t.skip('needs the governance execution handlers (branch gov)');
    return;
  }
  const proposal = json<Receipt>(proposed, 'gov propose add-org');
  assert.equal(proposal.code, 'OK');
  assert.equal(proposal.proposalId, proposal.txId, 'the proposal id is the propose tx id');
  assert.equal(proposal.status, 'open');
  assert.equal(proposal.effectiveHeight, null);
  assert.deepEqual([proposal.proposal?.yes, proposal.proposal?.required, proposal.proposal?.organisations, proposal.proposal?.policy], [1, 2, 3, 'twoThirds']);
  assert.equal(proposal.proposal?.change.caCertPem, ca.certPem);

  const open = json<{ proposals: Proposal[] }>(await runCli(['gov', 'list', '--status', 'open', '--node', node.url, '--json']), 'gov list');
  assert.deepEqual(open.proposals.map((p) => p.id), [proposal.proposalId]);

  const voted = json<Receipt>(await runCli(['gov', 'vote', proposal.proposalId, '--yes', '--key', adminKey('org2'), '--node', node.url, '--json']), 'gov vote');
  assert.equal(voted.proposalId, proposal.proposalId);
  assert.equal(voted.status, 'passed');
  assert.equal(voted.effectiveHeight, voted.height, 'membership changes take effect in the block that passes them');

  const members = json<Members>(await runCli(['members', '--node', node.url, '--json']), 'members');
  const org4 = members.organisations.find((o) => o.id === 'org4');
  assert.deepEqual(org4, { id: 'org4', name: 'Organisation 4', caCertPem: ca.certPem, joinedHeight: voted.height, removedHeight: null });
  assert.deepEqual(members.organisations.map((o) => o.id), ['org1', 'org2', 'org3', 'org4']);

  const shown = json<Proposal>(await runCli(['gov', 'show', proposal.proposalId, '--node', node.url, '--json']), 'gov show');
  assert.deepEqual([shown.status, shown.decidedHeight, shown.yes, shown.no, shown.organisations], ['passed', voted.height, 2, 0, 3]);
  assert.deepEqual(shown.votes.map((v) => [v.org, v.approve, v.txId]), [['org1', true, proposal.txId], ['org2', true, voted.txId]]);
  const shownText = await runCli(['gov', 'show', proposal.proposalId, '--node', node.url]);
  assert.equal(shownText.code, 0, shownText.stderr);
  assert.match(shownText.stdout, /addOrganisation: id org4, name "Organisation 4", certificate CN=Organisation 4 CA, O=org4/);
  assert.match(shownText.stdout, /passed at height \d+/);

  // Four organisations now: two thirds is 3, so org3's own yes leaves its proposal open.
  const lone = json<Receipt>(await runCli(['gov', 'propose', 'set-param', '--name', 'blockTxsMax', '--value', '4000', '--key', adminKey('org3'), '--node', node.url, '--json']), 'gov propose set-param');
  assert.equal(lone.status, 'open');
  assert.deepEqual([lone.proposal?.yes, lone.proposal?.required, lone.proposal?.organisations], [1, 3, 4]);
  const againstIt = json<Receipt>(await runCli(['gov', 'vote', lone.proposalId, '--no', '--key', adminKey('org1'), '--node', node.url, '--json']), 'gov vote --no');
  assert.equal(againstIt.status, 'open', 'one no of four still leaves three possible yes votes');
  const stillOpen = json<Proposal>(await runCli(['gov', 'show', lone.proposalId, '--node', node.url, '--json']), 'gov show');
  assert.deepEqual([stillOpen.status, stillOpen.yes, stillOpen.no, stillOpen.decidedHeight], ['open', 1, 1, null]);
  const listed = json<{ proposals: Proposal[] }>(await runCli(['gov', 'list', '--node', node.url, '--json']), 'gov list');
  assert.deepEqual(listed.proposals.map((p) => [p.id, p.status]), [[lone.proposalId, 'open'], [proposal.proposalId, 'passed']]);
  const listText = await runCli(['gov', 'list', '--node', node.url]);
  assert.match(listText.stdout, new RegExp(`${lone.proposalId} +open +setParameter`));

  // The failures are typed and exit 3: a second vote of one organisation, a vote on a decided
  // proposal, and a member that is not an admin.
  const twice = await runCli(['gov', 'vote', lone.proposalId, '--yes', '--key', adminKey('org1'), '--node', node.url]);
  assert.equal(twice.code, 3);
  assert.match(twice.stderr, /GOV_ALREADY_VOTED/);
  const closed = await runCli(['gov', 'vote', proposal.proposalId, '--yes', '--key', adminKey('org3'), '--node', node.url]);
  assert.equal(closed.code, 3);
  assert.match(closed.stderr, /GOV_CLOSED/);
  const client = await runCli(['gov', 'propose', 'remove-org', '--id', 'org4', '--key', join(chain, 'orgs', 'org1', 'client.key.pem'), '--node', node.url]);
  assert.equal(client.code, 3);
  assert.match(client.stderr, /TX_FORBIDDEN|GOV_NOT_ADMIN/);
});

test('gov and members: bad arguments are usage errors (exit 2) and reach no node', async () => {
  const key = adminKey('org1');
  const hash = 'ab'.repeat(32);
  const cases: Array<[string[], RegExp]> = [
    [['gov'], /gov needs a subcommand/],
    [['gov', 'elect'], /unknown subcommand "elect"/],
    [['gov', 'propose', '--key', key], /missing KIND/],
    [['gov', 'propose', 'add-member', '--key', key], /unknown KIND "add-member"/],
    [['gov', 'propose', 'add-org', '--name', 'X', '--ca-cert', 'ca.pem', '--key', key], /missing --id/],
    [['gov', 'propose', 'add-org', '--id', 'Org 4', '--name', 'X', '--ca-cert', 'ca.pem', '--key', key], /--id must be an organisation id/],
    [['gov', 'propose', 'add-org', '--id', 'org4', '--name', 'X', '--key', key], /missing --ca-cert FILE/],
    [['gov', 'propose', 'add-org', '--id', 'org4', '--name', 'X', '--ca-cert', 'ca.pem', '--power', '2', '--key', key], /--power does not apply to add-org/],
    [['gov', 'propose', 'remove-org', '--id', 'org2'], /missing --key ADMIN_KEY/],
    [['gov', 'propose', 'add-validator', '--name', 'node9', '--cert', 'n.pem', '--power', '0', '--key', key], /--power must be an integer from 1/],
    [['gov', 'propose', 'set-validator-power', '--name', 'node0', '--key', key], /missing --power/],
    [['gov', 'propose', 'remove-validator', '--name', 'no such/name', '--key', key], /--name must be a validator name/],
    [['gov', 'propose', 'revoke-cert', '--reason', 'leak', '--key', key], /--cert FILE or as --cert-hash HEX/],
    [['gov', 'propose', 'revoke-cert', '--cert', 'c.pem', '--cert-hash', hash, '--reason', 'leak', '--key', key], /one of the two/],
    [['gov', 'propose', 'revoke-cert', '--cert-hash', 'abc', '--org', 'org1', '--reason', 'leak', '--key', key], /--cert-hash must be 64 hex digits/],
    [['gov', 'propose', 'revoke-cert', '--cert-hash', hash, '--reason', 'leak', '--key', key], /missing --org/],
    [['gov', 'propose', 'revoke-cert', '--cert-hash', hash, '--org', 'org1', '--key', key], /missing --reason/],
    [['gov', 'propose', 'set-param', '--name', 'gasLimit', '--value', '1', '--key', key], /--name must be a chain parameter/],
    [['gov', 'propose', 'set-param', '--name', 'blockTxsMax', '--value', 'lots', '--key', key], /--value must be an integer/],
    [['gov', 'propose', 'set-policy', '--target', 'everything', '--policy', 'all', '--key', key], /--target must be a change kind/],
    [['gov', 'propose', 'set-policy', '--target', 'add-org', '--policy', 'unanimous', '--key', key], /--policy must be one of majority, twoThirds, all/],
    [['gov', 'propose', 'set-tx-acl', '--tx-type', 'evidence.deposit', '--orgs', 'all', '--key', key], /missing --roles/],
    [['gov', 'propose', 'set-tx-acl', '--tx-type', 'evidence.deposit', '--orgs', 'all', '--roles', 'admin,boss', '--key', key], /"boss" is not a role/],
    [['gov', 'propose', 'set-read-acl', '--prefix', 'evidence', '--orgs', 'org1', '--roles', 'auditor', '--key', key], /--prefix must end with "\/"/],
    [['gov', 'propose', 'set-read-acl', '--prefix', 'evidence/', '--orgs', 'Org1', '--roles', 'auditor', '--key', key], /"Org1" is not an organisation id/],
    [['gov', 'propose', 'remove-org', '--id', 'org2', '--bogus', '--key', key], /Unknown option '--bogus'/],
    [['gov', 'vote', '--yes', '--key', key], /missing PROPOSAL_ID/],
    [['gov', 'vote', 'xyz', '--yes', '--key', key], /PROPOSAL_ID must be 64 hex digits/],
    [['gov', 'vote', hash, '--key', key], /exactly one of --yes and --no/],
    [['gov', 'vote', hash, '--yes', '--no', '--key', key], /exactly one of --yes and --no/],
    [['gov', 'list', '--status', 'pending'], /--status must be one of open, passed, rejected, expired, all/],
    [['gov', 'list', '--limit', '0'], /--limit must be an integer from 1 to 1000/],
    [['gov', 'show'], /missing PROPOSAL_ID/],
    [['gov', 'show', hash, 'extra'], /unexpected argument: extra/],
    [['members', 'org1'], /unexpected argument: org1/],
  ];
  for (const [args, pattern] of cases) {
    // Pointed at no node: a usage error must come before any network access.
    const result = await runCli([...args, '--node', 'http://127.0.0.1:1']);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern, args.join(' '));
    assert.match(result.stderr, /\nusage: xinlian /, `${args.join(' ')} prints the usage`);
  }
  const help = await runCli(['gov', 'propose', '--help']);
  assert.equal(help.code, 0);
  for (const [name] of PROPOSE_KIND_NAMES) assert.match(help.stdout, new RegExp(`\\n    ${name} `), `usage documents ${name}`);
  assert.deepEqual(PROPOSE_KIND_NAMES.map(([, kind]) => kind), [...GOV_KINDS], 'every change kind has a KIND name, in protocol order');
});
