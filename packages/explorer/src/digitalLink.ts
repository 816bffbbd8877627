// Product codes: an EPC URN (urn:epc:id:..., urn:epc:class:...) or a GS1 Digital Link URL from a
// QR code. The traceability contract treats identifiers as opaque strings, so a Digital Link is
// looked up in the form it is recorded in: under GS1's resolver origin https://id.gs1.org, with
// the GTIN in 14 digits (the protocol's digitalLinkId, which the node's redirect uses too).
import { digitalLinkId, GS1_RESOLVER_ORIGIN } from '@xinlian/protocol';
import { href } from './route.js';

/**
 * GS1 Application Identifiers that can start a Digital Link path (the primary keys: GTIN, SSCC,
 * GLN, GRAI, GIAI, GSRN, GDTI, ...). /01/<gtin> is by far the most common.
 */
const PRIMARY_KEY_AIS = new Set(['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8013', '8017', '8018']);

/** True when a URL path starts with /<primary key AI>/<value>. */
export function isDigitalLinkPath(pathname: string): boolean {
  const [, ai, value] = pathname.split('/');
  return ai !== undefined && PRIMARY_KEY_AIS.has(ai) && value !== undefined && value !== '';
}

/** The identifier to trace, or why the code cannot be one (a Digital Link with a bad GTIN). */
export type TraceInput = { ok: true; id: string } | { ok: false; problem: string };

/**
 * The identifier to trace for what a person pasted or scanned. A Digital Link URL that points at
 * this node (a QR code printed with the node's address) or at id.gs1.org becomes
 * https://id.gs1.org/<path>?<query> with a GTIN-8, -12 or -13 padded to 14 digits, and is refused
 * when its GTIN has another length or a wrong check digit; any other string, URNs and other
 * resolvers' URLs included, is kept exactly (trimmed), since that is how it would have been recorded.
 */
export function traceIdFromInput(input: string, nodeOrigin?: string): TraceInput {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: true, id: text };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: true, id: text };
  const ours = nodeOrigin !== undefined && url.origin === nodeOrigin;
  if ((ours || url.hostname === 'id.gs1.org') && isDigitalLinkPath(url.pathname)) return digitalLinkId(url.pathname, url.search);
  return { ok: true, id: text };
}

/**
 * What a QR code for a traced identifier opens on a phone: a Digital Link is the product's own
 * link (GS1's resolver, or a brand's, answers it); any other identifier, an EPC URN say, means
 * nothing to a phone, so the code opens this explorer's trace page for it (`explorerUrl` is the
 * app's address, e.g. http://node:8701/explorer/).
 */
export function qrTargetOf(id: string, explorerUrl: string): string {
  if (id.startsWith(`${GS1_RESOLVER_ORIGIN}/`) && isDigitalLinkPath(new URL(id).pathname)) return id;
  return `${explorerUrl}${href(['trace'], { id })}`;
}

/** provenance args: a class URN is a lot or product class (epcClass); anything else an instance (epc). */
export function provenanceArgs(id: string): { epc: string } | { epcClass: string } {
  return id.startsWith('urn:epc:class:') ? { epcClass: id } : { epc: id };
}
