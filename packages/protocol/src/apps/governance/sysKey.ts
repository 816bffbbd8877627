import { hasPrefix, toHex, utf8 } from '../../bytes.js';

/** Governance state lives under this prefix; only the governance handlers may write it (ADR 008). */
export const SYS_PREFIX = 'sys/';
const SYS_PREFIX_BYTES = utf8(SYS_PREFIX);

/** The keys of the consortium state (docs/spec/governance.md), as UTF-8 bytes. */
export const sysKey = {
  org: (id: string): Uint8Array => utf8(`sys/org/${id}`),
  /** The member organisation ids in join order (the state has no range scan, so lists are kept). */
  orgIndex: (): Uint8Array => utf8('sys/orgs'),
  revoked: (certHash: Uint8Array): Uint8Array => utf8(`sys/revoked/${toHex(certHash)}`),
  validators: (): Uint8Array => utf8('sys/validators'),
  validatorsNext: (): Uint8Array => utf8('sys/validators-next'),
  params: (): Uint8Array => utf8('sys/params'),
  policies: (): Uint8Array => utf8('sys/policies'),
  proposal: (id: Uint8Array): Uint8Array => utf8(`sys/proposal/${toHex(id)}`),
  /** The open proposals; every change of this key is a propose or a decision, in its history. */
  proposalIndex: (): Uint8Array => utf8('sys/proposals'),
  aclTx: (txType: string): Uint8Array => utf8(`sys/acl/tx/${txType}`),
  aclRead: (prefix: string): Uint8Array => utf8(`sys/acl/read/${prefix}`),
  /** A deployed contract's current version (ADR 010); its history holds the earlier ones. */
  contract: (name: string): Uint8Array => utf8(`sys/contract/${name}`),
  contractIndex: (): Uint8Array => utf8('sys/contracts'),
  /** Contract code by its hash: the UTF-8 bytes of the packaged JavaScript. */
  code: (codeHash: Uint8Array): Uint8Array => utf8(`sys/code/${toHex(codeHash)}`),
} as const;

export function isSysKey(key: Uint8Array): boolean {
  return hasPrefix(key, SYS_PREFIX_BYTES);
}
