import { Writer } from '../codec/writer.js';
import { decodeAll } from '../codec/reader.js';
import { XinlianError } from '../errors.js';
import { signingDigest } from '../ledger/signingDigest.js';

export const P2P_PROTOCOL_VERSION = 1;
export const P2P_HELLO_DOMAIN = 'xinlian/p2p-hello/v1';
/** RFC 5705 / RFC 8446 7.5 exporter label and length: the value both sides sign. */
export const P2P_EXPORTER_LABEL = 'EXPORTER-xinlian-p2p-hello-v1';
export const P2P_EXPORTER_BYTES = 32;
const CHAIN_ID_BYTES_MAX = 64;
const CERT_BYTES_MAX = 4096;
const SIGNATURE_BYTES_MAX = 128;

/** Which end of the TCP connection signed: a hello can never be reflected back to its sender. */
export type P2pSide = 'dialer' | 'listener';

/** The first frame in each direction: the node's chain certificate and its signature over the session. */
export interface P2pHello {
  version: number;
  chainId: string;
  /** The node's certificate (DER), issued by the CA of a member organisation, role node. */
  certDer: Uint8Array;
  /** Signature with the certificate's key over helloSigningDigest. */
  signature: Uint8Array;
}

export function encodeHello(hello: P2pHello): Uint8Array {
  return new Writer().u8(hello.version).string(hello.chainId).bytes(hello.certDer).bytes(hello.signature).finish();
}

/** Strict: unknown versions, oversize fields and trailing bytes are DECODE_ERROR. */
export function decodeHello(bytes: Uint8Array): P2pHello {
  return decodeAll(bytes, (reader) => {
    const version = reader.u8('hello version');
    if (version !== P2P_PROTOCOL_VERSION) throw new XinlianError('DECODE_ERROR', `hello version ${version}, expected ${P2P_PROTOCOL_VERSION}`);
    return {
      version,
      chainId: reader.string(CHAIN_ID_BYTES_MAX, 'hello chain id'),
      certDer: reader.bytes(CERT_BYTES_MAX, 'hello certificate'),
      signature: reader.bytes(SIGNATURE_BYTES_MAX, 'hello signature'),
    };
  }, 'hello');
}

/**
 * What a node signs: the domain tag and chain id (as every signature), its side of the connection,
 * the TLS exporter value of this session and the hash of the certificate it presents. The exporter
 * value differs on every TLS connection and a man in the middle holds two different sessions, so a
 * recorded hello is worthless anywhere else (channel binding as RFC 9266 does for TLS 1.3).
 */
export function helloSigningDigest(
  hash: (data: Uint8Array) => Uint8Array,
  chainId: string,
  side: P2pSide,
  exporter: Uint8Array,
  certHash: Uint8Array,
): Uint8Array {
  if (exporter.length !== P2P_EXPORTER_BYTES) throw new RangeError(`exporter must be ${P2P_EXPORTER_BYTES} bytes`);
  const body = new Writer().u8(side === 'dialer' ? 0 : 1).fixed(exporter, P2P_EXPORTER_BYTES).bytes(certHash).finish();
  return signingDigest(hash, P2P_HELLO_DOMAIN, chainId, body);
}
