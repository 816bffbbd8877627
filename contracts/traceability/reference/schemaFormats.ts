// The `format` checks the JSON schema validator knows. A format it does not know is refused when
// the schema is loaded: an ignored format would accept what another validator refuses.

// RFC 3986 pieces. pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
const PCT = '%[0-9A-Fa-f]{2}';
const SUB_DELIMS = "!$&'()*+,;=";
const UNRESERVED = 'A-Za-z0-9\\-._~';

// RFC 3987 adds these code points (ucschar) to the unreserved set of an IRI, and iprivate to its query.
const UCSCHAR = '\\u{A0}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFEF}\\u{10000}-\\u{1FFFD}\\u{20000}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}'
  + '\\u{40000}-\\u{4FFFD}\\u{50000}-\\u{5FFFD}\\u{60000}-\\u{6FFFD}\\u{70000}-\\u{7FFFD}\\u{80000}-\\u{8FFFD}\\u{90000}-\\u{9FFFD}'
  + '\\u{A0000}-\\u{AFFFD}\\u{B0000}-\\u{BFFFD}\\u{C0000}-\\u{CFFFD}\\u{D0000}-\\u{DFFFD}\\u{E1000}-\\u{EFFFD}';
const IPRIVATE = '\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}';

/**
 * An absolute URI (RFC 3986 section 4.3 plus an optional fragment): scheme ":" hier-part
 * ["?" query] ["#" fragment], every character from the grammar's sets or percent-encoded. An
 * authority's host is a reg-name, an IPv4 address (as a reg-name) or a bracketed IP literal whose
 * inside is only checked for its characters. Relative references are not URIs.
 */
function uriPattern(extraUnreserved: string, extraQuery: string): RegExp {
  const unreserved = UNRESERVED + extraUnreserved;
  const pchar = `(?:[${unreserved}${SUB_DELIMS}:@]|${PCT})`;
  const userinfo = `(?:(?:[${unreserved}${SUB_DELIMS}:]|${PCT})*@)?`;
  const host = `(?:\\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+)\\]|(?:[${unreserved}${SUB_DELIMS}]|${PCT})*)`;
  const authority = `//${userinfo}${host}(?::[0-9]*)?(?:/${pchar}*)*`;
  const noAuthority = `(?:/(?:${pchar}+(?:/${pchar}*)*)?|${pchar}+(?:/${pchar}*)*)?`;
  const query = `(?:\\?(?:${pchar}|[/?${extraQuery}])*)?`;
  const fragment = `(?:#(?:${pchar}|[/?])*)?`;
  return new RegExp(`^[A-Za-z][A-Za-z0-9+.\\-]*:(?:${authority}|${noAuthority})${query}${fragment}$`, 'u');
}

let uri: RegExp | undefined;
let iri: RegExp | undefined;

/**
 * RFC 3339 section 5.6 date-time: full-date "T" partial-time time-offset, "T" and "Z" in either
 * case, seconds fraction of any length, a real calendar day (leap years included) and hours 00-23,
 * minutes 00-59, seconds 00-59, or 60 when the time is 23:59:60 in UTC (a leap second).
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return false;
  const offsetHour = m[8] === undefined ? 0 : Number(m[8]);
  const offsetMinute = m[9] === undefined ? 0 : Number(m[9]);
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
  if (second < 60) return true;
  // A leap second: only at 23:59:60 UTC.
  const sign = m[7] === '-' ? 1 : -1;
  const utcMinutes = (((hour * 60 + minute + sign * (offsetHour * 60 + offsetMinute)) % 1440) + 1440) % 1440;
  return utcMinutes === 23 * 60 + 59;
}

/** The format checks by name. The regular expressions are built on first use, not per call. */
export const SCHEMA_FORMATS: Record<string, (text: string) => boolean> = {
  'date-time': isDateTime,
  uri: (text) => (uri ??= uriPattern('', '')).test(text),
  iri: (text) => (iri ??= uriPattern(UCSCHAR, IPRIVATE)).test(text),
};
