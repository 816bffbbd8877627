// The `format`s native schema validation knows, registered with ajv by name, with the rules of
// the traceability contract's own validator (contracts/traceability/schemaFormats.ts), so that
// both accept the same texts (tested). Written out here rather than taken from ajv-formats: its
// rules differ (its "uri" takes no IRI characters, its "date-time" takes a space for "T") and
// would change with its releases, while these are part of the protocol's version.
// Every regular expression spells its ranges out: none consults Unicode property tables, whose
// contents change with the host's ICU version.

// RFC 3986 section 2: unreserved, sub-delims, pct-encoded.
const UNRESERVED = 'A-Za-z0-9\\-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const PCT_ENCODED = '%[0-9A-Fa-f]{2}';
// RFC 3987 section 2.2: ucschar (unreserved in an IRI) and iprivate (only in its query).
const UCSCHAR = [
  '\\u{A0}-\\u{D7FF}', '\\u{F900}-\\u{FDCF}', '\\u{FDF0}-\\u{FFEF}',
  ...Array.from({ length: 13 }, (_, i) => `\\u{${(i + 1).toString(16)}0000}-\\u{${(i + 1).toString(16)}FFFD}`),
  '\\u{E1000}-\\u{EFFFD}',
].join('');
const IPRIVATE = '\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}';

/**
 * RFC 3986 section 4.3 absolute-URI, with an optional fragment (section 3): scheme ":" hier-part
 * ["?" query] ["#" fragment]. hier-part is "//" authority path-abempty, path-absolute,
 * path-rootless or empty. The host of an authority is an IP literal in brackets (only its
 * characters are checked: hex digits, ":" and "." for IPv6 and IPv4 tails, or an IPvFuture) or a
 * reg-name, which also covers IPv4 addresses. For an IRI (RFC 3987) ucschar joins the
 * unreserved characters everywhere but inside an IP literal, and iprivate joins the query's.
 */
function absoluteUri(extraUnreserved: string, extraQuery: string): RegExp {
  const unreserved = UNRESERVED + extraUnreserved;
  const pchar = `(?:[${unreserved}${SUB_DELIMS}:@]|${PCT_ENCODED})`;
  const ipLiteral = `\\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+)\\]`;
  const regName = `(?:[${unreserved}${SUB_DELIMS}]|${PCT_ENCODED})*`;
  const userinfo = `(?:(?:[${unreserved}${SUB_DELIMS}:]|${PCT_ENCODED})*@)?`;
  const withAuthority = `//${userinfo}(?:${ipLiteral}|${regName})(?::[0-9]*)?(?:/${pchar}*)*`;
  const segments = `${pchar}+(?:/${pchar}*)*`;
  const withoutAuthority = `(?:/(?:${segments})?|${segments})?`;
  const query = `(?:\\?(?:${pchar}|[/?${extraQuery}])*)?`;
  const fragment = `(?:#(?:${pchar}|[/?])*)?`;
  return new RegExp(`^[A-Za-z][A-Za-z0-9+\\-.]*:(?:${withAuthority}|${withoutAuthority})${query}${fragment}$`, 'u');
}

const URI = absoluteUri('', '');
const IRI = absoluteUri(UCSCHAR, IPRIVATE);

/**
 * RFC 3339 section 5.6 date-time: full-date "T" partial-time time-offset, with "T" and "Z" in
 * either case (section 5.6's note), a fraction of a second of any length, a day that exists in
 * its month (leap years included), hours 00-23, minutes 00-59, seconds 00-59, and 60 only where
 * the time is 23:59:60 in UTC (a leap second); offsets up to 23:59 either way.
 */
const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = Number(match[8] ?? 0);
  const offsetMinutes = Number(match[9] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return false;
  if (second !== 60) return true;
  // Local time minus the offset is UTC; a leap second is 23:59:60 there.
  const offset = (match[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const utcMinute = (((hour * 60 + minute - offset) % 1440) + 1440) % 1440;
  return utcMinute === 23 * 60 + 59;
}

/**
 * The format checks by name; a schema naming any other format is refused when it is compiled. A
 * Map, so that no name inherited from Object.prototype ("constructor") passes for a format.
 */
export const SCHEMA_FORMATS: ReadonlyMap<string, (text: string) => boolean> = new Map([
  ['date-time', isDateTime],
  ['uri', (text: string) => URI.test(text)],
  ['iri', (text: string) => IRI.test(text)],
]);
