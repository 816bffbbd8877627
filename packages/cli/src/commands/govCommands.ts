import { readFileSync } from 'node:fs';
import {
  CHAIN_PARAMETER_NAMES, CONTRACT_NAME, fromHex, GOV_LIMITS, isChainParameterName, isGovKind, isPolicy, isRole, LIMITS, parseCertificate,
  pemDecode, POLICIES, PROPOSAL_STATUSES, ROLES,
  type AclRule, type GovChange, type GovKind, type Role,
} from '@xinlian/protocol';
import {
  identityFromFiles, XinlianClient, XinlianSession,
  type GovReceipt, type MembersView, type ProposalStatusFilter, type ProposalView, type ValidatorView,
} from '@xinlian/sdk';
import { integerOption, optional, parse, passphraseFrom, required, UsageError, type Options, type Parsed } from '../cliError.js';
import type { Command } from './command.js';
import { DEFAULT_NODE_URL } from './evidenceCommands.js';

// On-chain governance (docs/adr/008-governance.md): propose a change, vote, list and show
// proposals, and show the consortium. Proposing and voting sign with an organisation admin's key.

/** The command-line names of the change kinds, with the flags each one takes. */
const PROPOSE_KINDS = {
  'add-org': { kind: 'addOrganisation', flags: ['id', 'name', 'ca-cert'] },
  'remove-org': { kind: 'removeOrganisation', flags: ['id'] },
  'add-validator': { kind: 'addValidator', flags: ['name', 'org', 'cert', 'power'] },
  'remove-validator': { kind: 'removeValidator', flags: ['name'] },
  'set-validator-power': { kind: 'setValidatorPower', flags: ['name', 'power'] },
  'revoke-cert': { kind: 'revokeCertificate', flags: ['cert', 'cert-hash', 'org', 'reason'] },
  'set-param': { kind: 'setParameter', flags: ['name', 'value'] },
  'set-policy': { kind: 'setPolicy', flags: ['target', 'policy'] },
  'set-tx-acl': { kind: 'setTxAcl', flags: ['tx-type', 'orgs', 'roles'] },
  'set-read-acl': { kind: 'setReadAcl', flags: ['prefix', 'orgs', 'roles'] },
  'deploy-contract': { kind: 'deployContract', flags: ['name', 'code'] },
  'upgrade-contract': { kind: 'upgradeContract', flags: ['name', 'code'] },
} as const satisfies Record<string, { kind: GovKind; flags: readonly string[] }>;
type ProposeKind = keyof typeof PROPOSE_KINDS;

const KIND_NAMES = Object.keys(PROPOSE_KINDS) as ProposeKind[];
const CHANGE_FLAGS = [...new Set(Object.values(PROPOSE_KINDS).flatMap((k) => k.flags as readonly string[]))];

/** Where a command talks to a node and, to sign, who it is. */
export const CONNECTION_OPTIONS = { node: { type: 'string' }, json: { type: 'boolean' } } as const satisfies Options;
export const SIGNER_OPTIONS = { key: { type: 'string' }, 'signer-cert': { type: 'string' }, 'passphrase-file': { type: 'string' } } as const satisfies Options;
export const SIGNER_USAGE = '--key ADMIN_KEY [--signer-cert CERT] [--passphrase-file F] [--node URL] [--json]';

const ORG_ID = /^[a-z0-9-]{1,32}$/;
const VALIDATOR_NAME = /^[a-zA-Z0-9._-]{1,64}$/;

export function nodeUrl(values: Parsed['values']): string {
  return optional(values.node) ?? process.env.XINLIAN_NODE ?? DEFAULT_NODE_URL;
}

/** A session signing as the member whose key --key names (an admin, for governance). */
export async function signerSession(values: Parsed['values'], role = 'ADMIN_KEY'): Promise<XinlianSession> {
  const keyFile = optional(values.key) ?? process.env.XINLIAN_KEY;
  if (keyFile === undefined) throw new UsageError(`missing --key ${role} (or XINLIAN_KEY)`);
  const identity = identityFromFiles(keyFile, optional(values['signer-cert']), passphraseFrom(values['passphrase-file']));
  return XinlianSession.connect(nodeUrl(values), identity);
}

function orgIdOption(value: string | boolean | undefined, flag: string): string {
  const id = required(value, `--${flag}`);
  if (!ORG_ID.test(id)) throw new UsageError(`--${flag} must be an organisation id ([a-z0-9-], 1 to 32 characters), got "${id}"`);
  return id;
}

function validatorNameOption(value: string | boolean | undefined): string {
  const name = required(value, '--name');
  if (!VALIDATOR_NAME.test(name)) throw new UsageError(`--name must be a validator name ([a-zA-Z0-9._-], 1 to 64 characters), got "${name}"`);
  return name;
}

function powerOption(value: string | boolean | undefined, fallback?: number): number {
  if (value === undefined && fallback === undefined) throw new UsageError('missing --power');
  return integerOption(value, '--power', fallback ?? 0, 1, GOV_LIMITS.validatorPowerMax);
}

/** A certificate file's DER: PEM (the usual) or DER. */
function certificateFile(file: string): Uint8Array {
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  return text.includes('-----BEGIN CERTIFICATE-----') ? pemDecode(text, 'CERTIFICATE') : new Uint8Array(bytes);
}

function kindOption(value: string | boolean | undefined): GovKind {
  const target = required(value, '--target KIND');
  if (isGovKind(target)) return target;
  const named = PROPOSE_KINDS[target as ProposeKind];
  if (named === undefined) throw new UsageError(`--target must be a change kind (${KIND_NAMES.join(', ')}), got "${target}"`);
  return named.kind;
}

function aclRuleOptions(values: Parsed['values']): AclRule {
  const orgsText = required(values.orgs, '--orgs a,b|all');
  const rolesText = required(values.roles, '--roles r1,r2');
  const list = (text: string): string[] => text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  let orgs: AclRule['orgs'];
  if (orgsText === 'all') {
    orgs = 'all';
  } else {
    orgs = list(orgsText);
    if (orgs.length === 0) throw new UsageError('--orgs must be "all" or a comma-separated list of organisation ids');
    for (const org of orgs) if (!ORG_ID.test(org)) throw new UsageError(`--orgs: "${org}" is not an organisation id`);
  }
  const roles = list(rolesText);
  if (roles.length === 0) throw new UsageError(`--roles must name at least one role (${ROLES.join(', ')})`);
  for (const role of roles) if (!isRole(role)) throw new UsageError(`--roles: "${role}" is not a role (${ROLES.join(', ')})`);
  return { orgs, roles: roles as Role[] };
}

/**
 * The change a `gov propose KIND` line asks for. Everything is checked here, before any file is
 * read or the node is asked; revoke-cert --cert needs the chain's hash, so it returns a builder.
 */
function changeFromOptions(kindName: ProposeKind, values: Parsed['values']): (hash: (data: Uint8Array) => Uint8Array) => GovChange {
  const allowed = new Set<string>(PROPOSE_KINDS[kindName].flags);
  for (const flag of CHANGE_FLAGS) {
    if (values[flag] !== undefined && !allowed.has(flag)) throw new UsageError(`--${flag} does not apply to ${kindName} (it takes ${[...allowed].map((f) => `--${f}`).join(', ')})`);
  }
  switch (kindName) {
    case 'add-org': {
      const id = orgIdOption(values.id, 'id');
      const name = required(values.name, '--name');
      const caFile = required(values['ca-cert'], '--ca-cert FILE');
      return () => ({ kind: 'addOrganisation', id, name, caCertDer: certificateFile(caFile) });
    }
    case 'remove-org': {
      const id = orgIdOption(values.id, 'id');
      return () => ({ kind: 'removeOrganisation', id });
    }
    case 'add-validator': {
      const name = validatorNameOption(values.name);
      const certFile = required(values.cert, '--cert FILE');
      const power = powerOption(values.power, 1);
      const org = values.org === undefined ? undefined : orgIdOption(values.org, 'org');
      return () => {
        const certDer = certificateFile(certFile);
        return { kind: 'addValidator', name, org: org ?? parseCertificate(certDer).subject.organisation, certDer, power };
      };
    }
    case 'remove-validator': {
      const name = validatorNameOption(values.name);
      return () => ({ kind: 'removeValidator', name });
    }
    case 'set-validator-power': {
      const name = validatorNameOption(values.name);
      const power = powerOption(values.power);
      return () => ({ kind: 'setValidatorPower', name, power });
    }
    case 'revoke-cert': {
      const certFile = optional(values.cert);
      const hashHex = optional(values['cert-hash']);
      if ((certFile === undefined) === (hashHex === undefined)) throw new UsageError('give the certificate as --cert FILE or as --cert-hash HEX (one of the two)');
      if (hashHex !== undefined && !new RegExp(`^[0-9a-fA-F]{${LIMITS.hashBytes * 2}}$`).test(hashHex)) {
        throw new UsageError(`--cert-hash must be ${LIMITS.hashBytes * 2} hex digits (the chain's hash of the certificate DER)`);
      }
      if (hashHex !== undefined && values.org === undefined) throw new UsageError('missing --org (the organisation of the certificate)');
      const org = values.org === undefined ? undefined : orgIdOption(values.org, 'org');
      const reason = required(values.reason, '--reason');
      return (hash) => {
        if (certFile === undefined) return { kind: 'revokeCertificate', certHash: fromHex(hashHex!), org: org!, reason };
        const der = certificateFile(certFile);
        return { kind: 'revokeCertificate', certHash: hash(der), org: org ?? parseCertificate(der).subject.organisation, reason };
      };
    }
    case 'set-param': {
      const name = required(values.name, '--name');
      if (!isChainParameterName(name)) throw new UsageError(`--name must be a chain parameter (${CHAIN_PARAMETER_NAMES.join(', ')}), got "${name}"`);
      const value = integerOption(required(values.value, '--value'), '--value', 0, 0, Number.MAX_SAFE_INTEGER);
      return () => ({ kind: 'setParameter', name, value });
    }
    case 'set-policy': {
      const target = kindOption(values.target);
      const policy = required(values.policy, '--policy');
      if (!isPolicy(policy)) throw new UsageError(`--policy must be one of ${POLICIES.join(', ')}, got "${policy}"`);
      return () => ({ kind: 'setPolicy', target, policy });
    }
    case 'set-tx-acl': {
      const txType = required(values['tx-type'], '--tx-type');
      const rule = aclRuleOptions(values);
      return () => ({ kind: 'setTxAcl', txType, rule });
    }
    case 'set-read-acl': {
      const prefix = required(values.prefix, '--prefix');
      if (!prefix.endsWith('/')) throw new UsageError(`--prefix must end with "/" (a state key prefix such as evidence/), got "${prefix}"`);
      const rule = aclRuleOptions(values);
      return () => ({ kind: 'setReadAcl', prefix, rule });
    }
    case 'deploy-contract': case 'upgrade-contract': {
      const name = required(values.name, '--name');
      if (!CONTRACT_NAME.test(name)) throw new UsageError(`--name must match ${CONTRACT_NAME.source}, got "${name}"`);
      const codeFile = required(values.code, '--code FILE (a packaged contract: xinlian contract build)');
      return () => ({ kind: PROPOSE_KINDS[kindName].kind, name, code: new Uint8Array(readFileSync(codeFile)) });
    }
  }
}

// ---- text output ----

function describeCertificate(pem: unknown): string {
  try {
    const cert = parseCertificate(pemDecode(String(pem), 'CERTIFICATE'));
    return `certificate CN=${cert.subject.commonName}, O=${cert.subject.organisation}${cert.subject.role ? `, OU=${cert.subject.role}` : ''}`;
  } catch {
    return 'certificate (unreadable)';
  }
}

/** The change's fields on one line: `id org4, name "Organisation 4", certificate CN=…`. */
export function describeChange(change: ProposalView['change']): string {
  return Object.entries(change)
    .filter(([field]) => field !== 'kind')
    .map(([field, value]) => {
      if (field === 'caCertPem' || field === 'certPem') return describeCertificate(value);
      if (Array.isArray(value)) return `${field} ${value.join(',')}`;
      return `${field} ${typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : String(value)}`;
    })
    .join(', ');
}

function tallyText(p: ProposalView): string {
  return `${p.yes} yes, ${p.no} no; ${p.policy} needs ${p.required} of ${p.organisations} organisations`;
}

function statusText(p: Pick<ProposalView, 'status' | 'decidedHeight' | 'effectiveHeight' | 'deadlineHeight'>): string {
  switch (p.status) {
    case 'open': return `open (votes until height ${p.deadlineHeight})`;
    case 'passed': return `passed at height ${p.decidedHeight}, in effect from height ${p.effectiveHeight}`;
    case 'rejected': return `rejected at height ${p.decidedHeight}`;
    case 'expired': return `expired after height ${p.deadlineHeight}`;
  }
}

function formatProposal(p: ProposalView): string {
  return [
    `proposal ${p.id}`,
    `  change    ${p.kind}: ${describeChange(p.change)}`,
    `  proposer  ${p.proposer.name} (${p.proposer.org}) at height ${p.createdHeight}`,
    `  status    ${statusText(p)}`,
    `  tally     ${tallyText(p)}`,
    '  votes',
    ...p.votes.map((v) => `    ${v.org.padEnd(10)} ${v.approve ? 'yes' : 'no '}  ${v.name}, height ${v.height}, tx ${v.txId}`),
  ].join('\n');
}

function formatValidators(validators: ValidatorView[]): string[] {
  return validators.map((v) => `  ${String(v.index).padStart(3)}  ${v.name.padEnd(12)} ${v.org.padEnd(10)} power ${v.power}  key ${v.publicKey.slice(0, 16)}…`);
}

function formatMembers(m: MembersView): string {
  const lines = [`consortium at height ${m.height}`, 'organisations'];
  for (const o of m.organisations) {
    const since = o.joinedHeight === 0 ? 'since genesis' : `joined at height ${o.joinedHeight}`;
    lines.push(`  ${o.id.padEnd(10)} ${o.name}  (${o.removedHeight === null ? since : `${since}, removed at height ${o.removedHeight}`})`);
  }
  lines.push('validators', ...formatValidators(m.validators));
  if (m.nextValidators !== null) {
    lines.push(`next validators, from height ${m.nextValidators.effectiveHeight} (proposal ${m.nextValidators.proposalId})`, ...formatValidators(m.nextValidators.validators));
  }
  lines.push(`revoked certificates: ${m.revoked.length === 0 ? 'none' : ''}`.trimEnd());
  for (const r of m.revoked) lines.push(`  ${r.certHash}  ${r.org}, height ${r.height}: ${r.reason}`);
  return lines.join('\n');
}

export function receiptOutput(json: boolean, action: string, receipt: GovReceipt, proposal: ProposalView | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...receipt, ...(proposal === undefined ? {} : { proposal }) })}\n`);
    return;
  }
  const lines = [
    action,
    `  proposal  ${receipt.proposalId}`,
    `  tx        ${receipt.txId} in block ${receipt.height}`,
    `  status    ${proposal === undefined ? receipt.status : statusText(proposal)}`,
  ];
  if (proposal !== undefined) lines.push(`  tally     ${tallyText(proposal)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The proposal as the node shows it now, for the tally; a receipt stands without it. */
export async function proposalAfter(client: XinlianClient, id: string): Promise<ProposalView | undefined> {
  try {
    return await client.proposal(id);
  } catch {
    return undefined;
  }
}

// ---- commands ----

const propose: Command = {
  summary: 'propose a change to the consortium (signed by an organisation admin)',
  usage: `xinlian gov propose KIND [change flags] ${SIGNER_USAGE}\n`
    + '  KIND and its flags:\n'
    + '    add-org --id ID --name NAME --ca-cert FILE\n'
    + '    remove-org --id ID\n'
    + '    add-validator --name NAME --cert FILE [--org ORG] [--power N]\n'
    + '    remove-validator --name NAME\n'
    + '    set-validator-power --name NAME --power N\n'
    + '    revoke-cert (--cert FILE | --cert-hash HEX --org ORG) --reason TEXT\n'
    + `    set-param --name ${CHAIN_PARAMETER_NAMES.join('|')} --value N\n`
    + `    set-policy --target KIND --policy ${POLICIES.join('|')}\n`
    + '    set-tx-acl --tx-type TYPE --orgs a,b|all --roles r1,r2\n'
    + '    set-read-acl --prefix PREFIX/ --orgs a,b|all --roles r1,r2\n'
    + '    deploy-contract --name NAME --code FILE.contract.js   (or: xinlian contract deploy)\n'
    + '    upgrade-contract --name NAME --code FILE.contract.js',
  async run(argv) {
    const changeOptions: Options = Object.fromEntries(CHANGE_FLAGS.map((flag) => [flag, { type: 'string' }]));
    const { values, positionals } = parse(argv, { ...changeOptions, ...SIGNER_OPTIONS, ...CONNECTION_OPTIONS }, 1);
    const kindName = required(positionals[0], `KIND (${KIND_NAMES.join(', ')})`);
    if (!(kindName in PROPOSE_KINDS)) throw new UsageError(`unknown KIND "${kindName}" (one of ${KIND_NAMES.join(', ')})`);
    const build = changeFromOptions(kindName as ProposeKind, values);
    const session = await signerSession(values);
    const change = build(session.suite.hash);
    const receipt = await session.propose(change);
    const proposal = await proposalAfter(session.client, receipt.proposalId);
    receiptOutput(values.json === true, `proposed ${change.kind} (${kindName})`, receipt, proposal);
    return 0;
  },
};

const vote: Command = {
  summary: "vote yes or no on a proposal for the admin's organisation",
  usage: `xinlian gov vote PROPOSAL_ID --yes|--no ${SIGNER_USAGE}`,
  async run(argv) {
    const { values, positionals } = parse(argv, { yes: { type: 'boolean' }, no: { type: 'boolean' }, ...SIGNER_OPTIONS, ...CONNECTION_OPTIONS }, 1);
    const id = proposalIdOption(positionals[0]);
    if (values.yes === values.no) throw new UsageError('give exactly one of --yes and --no');
    const session = await signerSession(values);
    const receipt = await session.vote(id, values.yes === true);
    const proposal = await proposalAfter(session.client, receipt.proposalId);
    receiptOutput(values.json === true, `voted ${values.yes ? 'yes' : 'no'}`, receipt, proposal);
    return 0;
  },
};

function proposalIdOption(value: string | undefined): string {
  const id = required(value, 'PROPOSAL_ID');
  if (!/^[0-9a-fA-F]{64}$/.test(id)) throw new UsageError(`PROPOSAL_ID must be 64 hex digits (the propose tx id), got "${id}"`);
  return id.toLowerCase();
}

const STATUS_FILTERS: readonly ProposalStatusFilter[] = [...PROPOSAL_STATUSES, 'all'];

const list: Command = {
  summary: 'list proposals, newest first',
  usage: `xinlian gov list [--status ${STATUS_FILTERS.join('|')}] [--limit N] [--node URL] [--json]`,
  async run(argv) {
    const { values } = parse(argv, { status: { type: 'string' }, limit: { type: 'string' }, ...CONNECTION_OPTIONS }, 0);
    const status = optional(values.status) ?? 'all';
    if (!(STATUS_FILTERS as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${STATUS_FILTERS.join(', ')}, got "${status}"`);
    const limit = integerOption(values.limit, '--limit', 100, 1, 1000);
    const proposals = await new XinlianClient(nodeUrl(values)).proposals({ status: status as ProposalStatusFilter, limit });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ proposals })}\n`);
    } else if (proposals.length === 0) {
      process.stdout.write(`no ${status === 'all' ? '' : `${status} `}proposals\n`);
    } else {
      for (const p of proposals) {
        process.stdout.write(`${p.id}  ${p.status.padEnd(8)} ${p.kind.padEnd(18)} yes ${p.yes}/${p.required} of ${p.organisations}  height ${p.createdHeight}  by ${p.proposer.name} (${p.proposer.org})\n`);
        process.stdout.write(`    ${describeChange(p.change)}\n`);
      }
    }
    return 0;
  },
};

const show: Command = {
  summary: 'show one proposal with its votes',
  usage: 'xinlian gov show PROPOSAL_ID [--node URL] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { ...CONNECTION_OPTIONS }, 1);
    const id = proposalIdOption(positionals[0]);
    const proposal = await new XinlianClient(nodeUrl(values)).proposal(id);
    process.stdout.write(values.json ? `${JSON.stringify(proposal)}\n` : `${formatProposal(proposal)}\n`);
    return 0;
  },
};

export const gov: Command = {
  summary: 'on-chain governance: propose | vote | list | show',
  usage: `xinlian gov propose|vote|list|show ...\n  ${propose.usage.split('\n')[0]}\n  ${vote.usage}\n  ${list.usage}\n  ${show.usage}`,
  subcommands: { propose, vote, list, show },
  async run(argv) {
    const first = argv[0];
    throw new UsageError(first === undefined || first.startsWith('-') ? 'gov needs a subcommand: propose | vote | list | show' : `unknown subcommand "${first}"`);
  },
};

export const members: Command = {
  summary: 'show the consortium: organisations, validators, revoked certificates',
  usage: 'xinlian members [--node URL] [--json]',
  async run(argv) {
    const { values } = parse(argv, { ...CONNECTION_OPTIONS }, 0);
    const view = await new XinlianClient(nodeUrl(values)).members();
    process.stdout.write(values.json ? `${JSON.stringify(view)}\n` : `${formatMembers(view)}\n`);
    return 0;
  },
};

/** Every change kind has a command-line name (checked by the CLI tests). */
export const PROPOSE_KIND_NAMES: ReadonlyArray<[name: string, kind: GovKind]> = KIND_NAMES.map((name) => [name, PROPOSE_KINDS[name].kind]);
