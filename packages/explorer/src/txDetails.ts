// What a tx says about itself, read from its proof bundle's bytes (the API's tx view has no signer
// or payload): decoded here, and only trusted once the same bundle verifies.
import { decodeSignedTx, decodeTxBody, fromHex, parseCertificate, type ProofBundle } from '@xinlian/protocol';
import { decodePayload, type DecodedPayload } from './txPayload.js';

export interface TxDetails {
  type: string;
  signer: { org: string; commonName: string; role: string };
  expiryHeight: number;
  payload: DecodedPayload;
}

export function txDetailsOf(bundle: ProofBundle): TxDetails {
  const signed = decodeSignedTx(fromHex(bundle.tx!.tx));
  const body = decodeTxBody(signed.bodyBytes);
  const subject = parseCertificate(body.signerCert).subject;
  return {
    type: body.type,
    signer: { org: subject.organisation, commonName: subject.commonName, role: subject.role ?? 'unknown' },
    expiryHeight: body.expiryHeight,
    payload: decodePayload(body.type, body.payload),
  };
}
