import {
  aclAllows, consortiumView, fromHex, READ_CLOCK_SKEW_MS_MAX, READ_HEADERS, readRequestDigest, XinlianError,
  type KeyValueReader, type Member, type MembershipVerifier, type VerifySuite,
} from '@xinlian/protocol';
import type { Request } from './httpServer.js';

export interface ReadAccessOptions {
  chainId: string;
  suite: VerifySuite;
  membership: MembershipVerifier;
  /** The latest state: where the read rules are. */
  state: KeyValueReader;
  /** This node's clock: a signed read's time must be near it (the API, not consensus, reads it). */
  nowMs: () => number;
}

/** Throws READ_FORBIDDEN unless the request may read `key` (ADR 008 "read rules"). */
export type AuthorizeRead = (req: Request, key: Uint8Array) => void;

/** The member who signed the request; undefined for an unsigned one; READ_FORBIDDEN for a bad signature. */
export type IdentifyReader = (req: Request) => Member | undefined;

/** Who is asking, for queries that answer per caller (contract evaluation, ADR 010). */
export function createReaderIdentity(options: ReadAccessOptions): IdentifyReader {
  const { chainId, suite, membership, nowMs } = options;
  return (req) => {
    if (header(req, READ_HEADERS.signature) === undefined && header(req, READ_HEADERS.cert) === undefined) return undefined;
    return signedReader(req, chainId, suite, membership, nowMs(), (why) => {
      throw new XinlianError('READ_FORBIDDEN', `the request's signature is refused: ${why}`);
    });
  };
}

/**
 * Keys under a read rule (sys/acl/read/<prefix>) are served only to signed requests of members
 * the rule allows, or of auditors, who may read everything. Keys under no rule are open to all.
 */
export function createReadAccess(options: ReadAccessOptions): AuthorizeRead {
  const { chainId, suite, membership, state, nowMs } = options;
  return (req, key) => {
    const found = consortiumView(state).readAclFor(key);
    if (found === undefined) return;
    const deny = (why: string): never => {
      throw new XinlianError('READ_FORBIDDEN', `keys under "${found.prefix}" are readable by rule only: ${why}`, { prefix: found.prefix });
    };
    const reader = signedReader(req, chainId, suite, membership, nowMs(), deny);
    if (reader.role !== 'auditor' && !aclAllows(found.rule, reader.org, reader.role)) deny(`${reader.role} of ${reader.org} is not allowed`);
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The member who signed this request, or a denial saying what is missing or wrong. */
function signedReader(req: Request, chainId: string, suite: VerifySuite, membership: MembershipVerifier, nowMs: number, deny: (why: string) => never): Member {
  const certBase64 = header(req, READ_HEADERS.cert);
  const timeText = header(req, READ_HEADERS.time);
  const signatureHex = header(req, READ_HEADERS.signature);
  if (certBase64 === undefined || timeText === undefined || signatureHex === undefined) {
    return deny(`the request is not signed (headers ${Object.values(READ_HEADERS).join(', ')})`);
  }
  const timeMs = Number(timeText);
  if (!Number.isSafeInteger(timeMs) || Math.abs(timeMs - nowMs) > READ_CLOCK_SKEW_MS_MAX) deny(`${READ_HEADERS.time} is more than ${READ_CLOCK_SKEW_MS_MAX} ms from this node's clock`);
  let member: Member;
  try {
    member = membership.verifyMember(new Uint8Array(Buffer.from(certBase64, 'base64')), nowMs);
  } catch (error) {
    if (!(error instanceof XinlianError)) throw error;
    return deny(`reader certificate refused: ${error.message}`);
  }
  const signature = /^[0-9a-f]{2,512}$/i.test(signatureHex) && signatureHex.length % 2 === 0 ? fromHex(signatureHex.toLowerCase()) : deny('malformed signature');
  const digest = readRequestDigest(suite.hash, chainId, req.method, req.raw.url ?? req.path, timeMs);
  if (!suite.verify(member.publicKey, digest, signature)) deny('the signature does not verify for this request');
  return member;
}
