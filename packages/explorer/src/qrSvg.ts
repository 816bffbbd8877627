// A QR code as an inline SVG element: one path of dark modules on a white square with the
// standard's quiet zone of 4 modules, built with createElementNS and attributes (no markup
// parsed, no style attribute, so the strict CSP holds). It scales to any width without blur.
import { encodeQr, type QrCode } from './qr/encodeQr.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Light modules around the symbol that a reader needs to find it (ISO/IEC 18004 §6.3.8). */
export const QUIET_ZONE = 4;

/** The path of the dark modules: one rectangle per horizontal run, offset by the quiet zone. */
export function qrSvgPath(code: QrCode): string {
  const parts: string[] = [];
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (!code.dark[y]![x]) continue;
      let run = 1;
      while (x + run < code.size && code.dark[y]![x + run]) run++;
      parts.push(`M${x + QUIET_ZONE},${y + QUIET_ZONE}h${run}v1h-${run}z`);
      x += run - 1;
    }
  }
  return parts.join('');
}

function svg(tag: string, attributes: Record<string, string>): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** The QR code of `text` as an <svg role="img" aria-label="QR code for <text>">; throws RangeError when too long. */
export function qrSvg(text: string): SVGElement {
  const code = encodeQr(text);
  const side = String(code.size + 2 * QUIET_ZONE);
  const root = svg('svg', {
    viewBox: `0 0 ${side} ${side}`, role: 'img', 'aria-label': `QR code for ${text}`, class: 'qr-code',
    'shape-rendering': 'crispEdges', 'data-version': String(code.version), 'data-mask': String(code.mask),
  });
  root.append(svg('rect', { width: side, height: side, fill: '#ffffff' }), svg('path', { d: qrSvgPath(code), fill: '#000000' }));
  return root;
}
