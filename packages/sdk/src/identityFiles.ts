import { readFileSync } from 'node:fs';
import { identityFromPem, type Identity } from './identity.js';

/** Loads key.pem and its certificate; by convention the certificate sits beside the key as X.cert.pem. */
export function identityFromFiles(keyFile: string, certFile?: string, passphrase?: string): Identity {
  const cert = certFile ?? keyFile.replace(/\.key\.pem$|\.pem$/, '.cert.pem');
  return identityFromPem(readFileSync(keyFile, 'utf8'), readFileSync(cert, 'utf8'), passphrase);
}
