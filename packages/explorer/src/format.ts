// How times, hashes and values read on screen.

/** 2026-11-24 23:46:05 UTC: block times are UTC on every validator, so the page says so. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

export function shortHash(hash: string, chars = 12): string {
  return hash.length > chars ? `${hash.slice(0, chars)}…` : hash;
}

/** A state value: pretty JSON when it is UTF-8 JSON, the text when it is UTF-8, else hex. */
export function formatValue(hexValue: string): { kind: 'json' | 'text' | 'hex'; text: string } {
  const bytes = new Uint8Array((hexValue.match(/../g) ?? []).map((pair) => parseInt(pair, 16)));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'hex', text: hexValue };
  }
  try {
    return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch {
    return /^[\P{Cc}\n\r\t]*$/u.test(text) ? { kind: 'text', text } : { kind: 'hex', text: hexValue };
  }
}
