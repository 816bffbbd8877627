import { aclAllows, consortiumView, toHex, type AclRule, type ConsortiumView, type ErrorCode } from '@xinlian/protocol';
import type { AdmittedTx, BlockContext, StateReader } from '../application.js';

export interface AccessDenied {
  code: ErrorCode;
  message: string;
}

/**
 * The consortium's rules for who may send a tx, checked before its handler runs: the sender's
 * organisation is a member now (TX_UNKNOWN_MEMBER), its certificate is not revoked (CERT_REVOKED),
 * and the tx type's ACL admits its organisation and role (TX_FORBIDDEN; no ACL, no restriction).
 * Before block 1 has materialised genesis there are no rules to check beyond admission's.
 *
 * Lookups are remembered within a block, since most txs come from few organisations and
 * certificates; forget() drops them after any tx that wrote sys/, which is when they can change.
 */
export class TxAccess {
  /** 'any' until block 1 has written the organisations. */
  private members: ReadonlySet<string> | 'any' | undefined;
  private readonly acls = new Map<string, AclRule | null>();
  private readonly revoked = new Map<string, boolean>();

  private readonly view: ConsortiumView;

  constructor(state: StateReader, private readonly block: BlockContext) {
    this.view = consortiumView(state);
  }

  check(tx: AdmittedTx): AccessDenied | undefined {
    const { view } = this;
    const { org, role } = tx.sender;
    this.members ??= view.materialised() ? new Set(view.memberIds()) : 'any';
    if (this.members !== 'any' && !this.members.has(org)) return { code: 'TX_UNKNOWN_MEMBER', message: `organisation "${org}" is not a member` };
    const certHash = tx.sender.certHash ?? this.block.hash(tx.body.signerCert);
    const hashHex = toHex(certHash);
    let revoked = this.revoked.get(hashHex);
    if (revoked === undefined) this.revoked.set(hashHex, (revoked = view.isRevoked(certHash)));
    if (revoked) return { code: 'CERT_REVOKED', message: `the signer certificate ${hashHex} is revoked` };
    let rule = this.acls.get(tx.body.type);
    if (rule === undefined) this.acls.set(tx.body.type, (rule = view.txAcl(tx.body.type) ?? null));
    const refused = aclRefusal(tx.body.type, rule ?? undefined, org, role);
    return refused === undefined ? undefined : { code: 'TX_FORBIDDEN', message: refused };
  }

  forget(): void {
    this.members = undefined;
    this.acls.clear();
    this.revoked.clear();
  }
}

/**
 * Why the tx rule of `txType` refuses a sender, or undefined when there is no rule or it admits
 * them: the one wording of TX_FORBIDDEN, for a tx and for a contract operation reached by a call.
 */
export function aclRefusal(txType: string, rule: AclRule | undefined, org: string, role: string): string | undefined {
  if (rule === undefined || aclAllows(rule, org, role)) return undefined;
  return `the ACL of ${txType} does not admit role "${role}" of ${org}`;
}
