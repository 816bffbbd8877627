// A GS1 Digital Link as the ledger records it: under GS1's resolver origin, with the GTIN in its
// 14-digit form. The node's redirect (GET /01/<gtin>/...) and the explorer's Product code box both
// produce identifiers here, so a QR code printed with either origin or with a short GTIN finds the
// same product. The traceability contract treats identifiers as opaque strings: this is the one
// place that decides their form.
import { normaliseGtin } from './gtin.js';

/** The origin under which Digital Links are recorded, whatever origin the QR code carried. */
export const GS1_RESOLVER_ORIGIN = 'https://id.gs1.org';

/** A Digital Link path in canonical form, or why it cannot be one. */
export type DigitalLinkPathCheck = { ok: true; path: string } | { ok: false; problem: string };

/**
 * The canonical form of a Digital Link URL path: /01/<gtin> becomes /01/<14-digit GTIN> when the
 * GTIN is valid (refused otherwise); every other segment (/21/<serial>, /10/<lot>, other primary
 * keys) is kept exactly, still percent-encoded as it came.
 */
export function canonicalDigitalLinkPath(pathname: string): DigitalLinkPathCheck {
  const segments = pathname.split('/');
  if (segments[1] !== '01') return { ok: true, path: pathname };
  const gtin = normaliseGtin(segments[2] ?? '');
  if (!gtin.ok) return gtin;
  segments[2] = gtin.gtin14;
  return { ok: true, path: segments.join('/') };
}

/** The identifier a Digital Link is recorded under, or why the link is refused. */
export type DigitalLinkIdCheck = { ok: true; id: string } | { ok: false; problem: string };

/** https://id.gs1.org + the canonical path + the query (`search`, with its "?", or ''). */
export function digitalLinkId(pathname: string, search: string): DigitalLinkIdCheck {
  const canonical = canonicalDigitalLinkPath(pathname);
  return canonical.ok ? { ok: true, id: `${GS1_RESOLVER_ORIGIN}${canonical.path}${search}` } : canonical;
}
