import { compareBytes, utf8 } from '../../bytes.js';
import type { Reader } from '../../codec/reader.js';
import type { Writer } from '../../codec/writer.js';
import { XinlianError } from '../../errors.js';
import { ROLES, type Role } from '../../x509/certificate.js';
import { GOV_LIMITS } from './govKind.js';

/**
 * Who may submit a tx type or read a key prefix: a sender passes when its organisation is listed
 * (or orgs is 'all') and its certificate's role is listed. Lists are sets, kept in one canonical
 * order (orgs by their UTF-8 bytes, roles in ROLES order) so that a rule has one encoding.
 */
export interface AclRule {
  orgs: string[] | 'all';
  roles: Role[];
}

export function aclAllows(rule: AclRule, org: string, role: string): boolean {
  return (rule.orgs === 'all' || rule.orgs.includes(org)) && (rule.roles as readonly string[]).includes(role);
}

/** The rule with its sets in canonical order and without repeats (what a proposer should send). */
export function canonicalAclRule(rule: AclRule): AclRule {
  const orgs = rule.orgs === 'all' ? 'all' : [...new Set(rule.orgs)].sort((a, b) => compareBytes(utf8(a), utf8(b)));
  return { orgs, roles: ROLES.filter((role) => rule.roles.includes(role)) };
}

// AclRule = u8 orgsTag (0 all | 1 list) [list<string org> strictly increasing] | u8 roleMask
// (bit i = ROLES[i]; the other bits are zero).
export function writeAclRule(w: Writer, rule: AclRule): void {
  if (rule.orgs === 'all') {
    w.u8(0);
  } else {
    checkOrgsOrder(rule.orgs, (why) => new RangeError(why));
    w.u8(1).list(rule.orgs, (x, org) => x.string(org));
  }
  let mask = 0;
  rule.roles.forEach((role, i) => {
    const bit = ROLES.indexOf(role);
    if (bit < 0 || (i > 0 && bit <= ROLES.indexOf(rule.roles[i - 1]!))) throw new RangeError('roles must be known roles in ROLES order, without repeats');
    mask |= 1 << bit;
  });
  w.u8(mask);
}

export function readAclRule(r: Reader): AclRule {
  const tag = r.u8('acl orgs tag');
  let orgs: AclRule['orgs'];
  if (tag === 0) {
    orgs = 'all';
  } else if (tag === 1) {
    orgs = r.list(GOV_LIMITS.organisationsMax, (x) => x.string(GOV_LIMITS.orgIdBytesMax, 'acl org'), 'acl orgs');
    checkOrgsOrder(orgs, (why) => new XinlianError('DECODE_ERROR', why));
  } else {
    throw new XinlianError('DECODE_ERROR', `acl orgs tag must be 0 or 1, got ${tag}`);
  }
  const mask = r.u8('acl roles');
  if (mask >> ROLES.length !== 0) throw new XinlianError('DECODE_ERROR', `acl role mask ${mask} has unknown bits`);
  return { orgs, roles: ROLES.filter((_, bit) => (mask & (1 << bit)) !== 0) };
}

function checkOrgsOrder(orgs: readonly string[], error: (why: string) => Error): void {
  for (let i = 1; i < orgs.length; i++) {
    if (compareBytes(utf8(orgs[i - 1]!), utf8(orgs[i]!)) >= 0) throw error('acl orgs must be strictly increasing (sorted, no repeats)');
  }
}
