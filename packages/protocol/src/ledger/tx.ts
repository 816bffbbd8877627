import { decodeAll, type Reader } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { XinlianError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { DOMAIN, signingDigest } from './signingDigest.js';

export const TX_VERSION = 1;

/** What the signer commits to. The certificate travels with the tx (docs/adr/004). */
export interface TxBody {
  version: number;
  chainId: string;
  /** DER X.509 certificate of the signer, issued by the CA of a member organisation. */
  signerCert: Uint8Array;
  /** 16 bytes chosen by the client; makes otherwise identical txs distinct. */
  nonce: Uint8Array;
  /** Last height at which the tx may be included. */
  expiryHeight: number;
  /** Application operation, e.g. "evidence.deposit". */
  type: string;
  payload: Uint8Array;
}

export interface SignedTx {
  /** The canonical encoding of the TxBody, kept as bytes so the tx id never depends on re-encoding. */
  bodyBytes: Uint8Array;
  signature: Uint8Array;
}

export function encodeTxBody(body: TxBody): Uint8Array {
  return new Writer()
    .u8(body.version)
    .string(body.chainId)
    .bytes(body.signerCert)
    .fixed(body.nonce, LIMITS.nonceBytes)
    .u64(body.expiryHeight)
    .string(body.type)
    .bytes(body.payload)
    .finish();
}

export function decodeTxBody(bytes: Uint8Array): TxBody {
  return decodeAll(bytes, (r) => readTxBody(r), 'tx body');
}

function readTxBody(r: Reader): TxBody {
  const version = r.u8('tx version');
  if (version !== TX_VERSION) throw new XinlianError('DECODE_ERROR', `unsupported tx version ${version}`);
  return {
    version,
    chainId: r.string(LIMITS.chainIdBytesMax, 'chainId'),
    signerCert: r.bytes(LIMITS.certificateBytesMax, 'signerCert'),
    nonce: r.fixed(LIMITS.nonceBytes, 'nonce'),
    expiryHeight: r.u64('expiryHeight'),
    type: r.string(LIMITS.txTypeBytesMax, 'type'),
    payload: r.bytes(LIMITS.txPayloadBytesMax, 'payload'),
  };
}

export function encodeSignedTx(tx: SignedTx): Uint8Array {
  return new Writer().bytes(tx.bodyBytes).bytes(tx.signature).finish();
}

export function decodeSignedTx(bytes: Uint8Array): SignedTx {
  return decodeAll(
    bytes,
    (r) => ({
      bodyBytes: r.bytes(LIMITS.txBytesMax, 'tx body'),
      signature: r.bytes(LIMITS.signatureBytesMax, 'signature'),
    }),
    'signed tx',
  );
}

/** The tx id: the signing digest of the unsigned body, so signature malleability cannot change it. */
export function txIdOf(hash: (data: Uint8Array) => Uint8Array, chainId: string, bodyBytes: Uint8Array): Uint8Array {
  return signingDigest(hash, DOMAIN.tx, chainId, bodyBytes);
}
