import { assert } from '../assert.js';
import { XinlianError } from '../errors.js';

/**
 * Certificate times without the Date object (protocol code stays free of clocks and of host time
 * zone rules): a proleptic Gregorian calendar in UTC, whole seconds, years 1950 to 9999.
 */
const MS_PER_DAY = 86_400_000;
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const YEAR_MIN = 1950;
const YEAR_MAX = 9999;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function leapYearsThrough(year: number): number {
  return Math.floor(year / 4) - Math.floor(year / 100) + Math.floor(year / 400);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to the given date (month 1-12, day 1-31). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const leapDays = leapYearsThrough(year - 1) - leapYearsThrough(1969);
  const leapThisYear = month > 2 && isLeapYear(year) ? 1 : 0;
  return 365 * (year - 1970) + leapDays + DAYS_BEFORE_MONTH[month - 1]! + leapThisYear + day - 1;
}

const TIME_MS_MIN = daysSinceEpoch(YEAR_MIN, 1, 1) * MS_PER_DAY;
const TIME_MS_MAX = (daysSinceEpoch(YEAR_MAX + 1, 1, 1) * MS_PER_DAY) - 1000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** UTCTime "YYMMDDHHMMSSZ" before 2050, GeneralizedTime "YYYYMMDDHHMMSSZ" after (RFC 5280). */
export function formatDerTime(timeMs: number): { text: string; generalized: boolean } {
  assert(Number.isSafeInteger(timeMs) && timeMs >= TIME_MS_MIN && timeMs <= TIME_MS_MAX, `certificate time out of range: ${timeMs}`);
  const days = Math.floor(timeMs / MS_PER_DAY);
  let year = 1970 + Math.floor(days / 365.2425);
  while (daysSinceEpoch(year, 1, 1) > days) year--;
  while (daysSinceEpoch(year + 1, 1, 1) <= days) year++;
  let month = 1;
  while (month < 12 && daysSinceEpoch(year, month + 1, 1) <= days) month++;
  const day = days - daysSinceEpoch(year, month, 1) + 1;
  const secondsOfDay = Math.floor((timeMs - days * MS_PER_DAY) / 1000);
  const clock = pad(Math.floor(secondsOfDay / 3600), 2) + pad(Math.floor(secondsOfDay / 60) % 60, 2) + pad(secondsOfDay % 60, 2);
  const generalized = year >= 2050;
  const yearText = generalized ? pad(year, 4) : pad(year % 100, 2);
  return { text: `${yearText}${pad(month, 2)}${pad(day, 2)}${clock}Z`, generalized };
}

/** The inverse of formatDerTime; rejects any other form (fractions, offsets, wrong kind for the year). */
export function parseDerTime(text: string, generalized: boolean): number {
  const fail = (): never => {
    throw new XinlianError('DECODE_ERROR', `malformed ${generalized ? 'GeneralizedTime' : 'UTCTime'} "${text.slice(0, 20)}"`);
  };
  const pattern = generalized ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
  const match = pattern.exec(text);
  if (match === null) return fail();
  const [yearField, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = generalized ? yearField : yearField >= 50 ? 1900 + yearField : 2000 + yearField;
  // RFC 5280 fixes the kind by year, so each instant has one encoding.
  if (generalized && (year < 2050 || year > YEAR_MAX)) fail();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) fail();
  if (hour > 23 || minute > 59 || second > 59) fail();
  return daysSinceEpoch(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
}
