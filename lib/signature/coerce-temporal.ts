import { Buffer } from 'node:buffer';
import { formatDate, formatDateTime } from '../results/cell-encoder.js';
import { daysInMonth, fullYear } from '../sql/calendar.js';
import { isAsciiPunctuation, isDigit, isSpace } from '../sql/char-codes.js';
import { incorrectTemporal } from './coercion-error.js';
import { numberText } from './numeric-text.js';
import type { SqlType } from './sql-type.js';

/** A date and time of day read from text, before rounding. */
interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Digits after the seconds' point, as written. */
  fraction: string;
}

/** TIME's range: ±838:59:59 (MySQL 8 refuses anything beyond). */
const MAX_TIME_SECONDS = 838 * 3600 + 59 * 60 + 59;
/** TIMESTAMP's range, in UTC. */
const TIMESTAMP_MIN = '1970-01-01 00:00:01.000000';
const TIMESTAMP_MAX = '2038-01-19 03:14:07.999999';

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** Splits `digits[.fraction]`; null for anything else. */
function compactNumber(s: string): { digits: string; fraction: string } | null {
  let i = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === 0) return null;
  if (i === s.length) return { digits: s, fraction: '' };
  if (s[i] !== '.') return null;
  let j = i + 1;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  return j === s.length ? { digits: s.slice(0, i), fraction: s.slice(i + 1) } : null;
}

/** `YYYYMMDD[HHMMSS]` or `YYMMDD[HHMMSS]`. */
function compactDateTime(digits: string, fraction: string): DateTimeParts | null {
  const n = digits.length;
  if (n !== 6 && n !== 8 && n !== 12 && n !== 14) return null;
  const yearDigits = n === 8 || n === 14 ? 4 : 2;
  const num = (from: number, len: number): number => Number(digits.slice(from, from + len));
  const hasTime = n >= 12;
  if (!hasTime && fraction) return null;
  const y = yearDigits;
  return {
    year: fullYear(num(0, y), y),
    month: num(y, 2),
    day: num(y + 2, 2),
    hour: hasTime ? num(y + 4, 2) : 0,
    minute: hasTime ? num(y + 6, 2) : 0,
    second: hasTime ? num(y + 8, 2) : 0,
    fraction,
  };
}

/** Reads 1..max digits at `i`: [value, next index], or null. */
function digitsAt(s: string, i: number, max: number): [number, number, number] | null {
  let j = i;
  while (j < s.length && j - i < max && isDigit(s.charCodeAt(j))) j++;
  if (j === i) return null;
  return [Number(s.slice(i, j)), j, j - i];
}

/** `Y-M-D[( |T)H[:M[:S[.f]]]]` with any punctuation between the date's parts. */
function delimitedDateTime(s: string): DateTimeParts | null {
  const year = digitsAt(s, 0, 4);
  if (!year || year[1] >= s.length || !isAsciiPunctuation(s.charCodeAt(year[1]))) return null;
  const month = digitsAt(s, year[1] + 1, 2);
  if (!month || month[1] >= s.length || !isAsciiPunctuation(s.charCodeAt(month[1]))) return null;
  const day = digitsAt(s, month[1] + 1, 2);
  if (!day) return null;
  const parts: DateTimeParts = {
    year: fullYear(year[0], year[2]),
    month: month[0],
    day: day[0],
    hour: 0,
    minute: 0,
    second: 0,
    fraction: '',
  };
  let i = day[1];
  if (i === s.length) return parts;
  if (s[i] === 'T') i++;
  else {
    if (!isSpace(s.charCodeAt(i))) return null;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  }
  const fields = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const f = digitsAt(s, i, 2);
    if (!f) return null;
    fields[k] = f[0];
    i = f[1];
    if (i === s.length) break;
    if (k < 2 && s[i] === ':') i++;
    else if (k === 2 && s[i] === '.') {
      const frac = digitsAt(s, i + 1, Number.MAX_SAFE_INTEGER);
      if (!frac) return null;
      parts.fraction = s.slice(i + 1, frac[1]);
      i = frac[1];
    } else return null;
  }
  if (i !== s.length) return null;
  [parts.hour, parts.minute, parts.second] = fields as [number, number, number];
  return parts;
}

/** Fraction digits rounded half up to `fsp` places: [units, carry into the seconds]. */
function roundFraction(fraction: string, fsp: number): [number, number] {
  if (fraction.length <= fsp) return [fsp ? Number(fraction.padEnd(fsp, '0')) : 0, 0];
  let units = fsp ? Number(fraction.slice(0, fsp)) : 0;
  if (fraction.charCodeAt(fsp) >= 0x35) units++;
  const full = 10 ** fsp;
  return units >= full ? [0, 1] : [units, 0];
}

/** The parts as `YYYY-MM-DD HH:MM:SS[.f]`, rounded to `fsp`; null when invalid. */
function normalDateTime(p: DateTimeParts, fsp: number): string | null {
  const { year, month, day, hour, minute, second } = p;
  if (year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  const [units, carry] = roundFraction(p.fraction, fsp);
  let y = year;
  let mo = month;
  let d = day;
  let h = hour;
  let mi = minute;
  let s = second;
  if (carry) {
    const t = new Date(0);
    t.setUTCFullYear(year, month - 1, day);
    t.setUTCHours(hour, minute, second + 1, 0);
    [y, mo, d] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
    [h, mi, s] = [t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
    if (y > 9999) return null;
  }
  const time = `${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
  const frac = fsp ? '.' + String(units).padStart(fsp, '0') : '';
  return `${pad4(y)}-${pad2(mo)}-${pad2(d)} ${time}${frac}`;
}

/** A date and time read from text or a number, or null when it is not one. */
function readDateTime(value: unknown, utc: boolean): DateTimeParts | null {
  let text: string;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const t = typeof value === 'number' ? numberText(value) : value.toString();
    const c = compactNumber(t);
    if (!c) return null;
    // Numbers lose leading zeros: 101 is 000101 (2000-01-01), as MySQL pads them.
    const n = c.digits.length;
    const width = n <= 6 ? 6 : n <= 8 ? 8 : n <= 12 ? 12 : n <= 14 ? 14 : 0;
    if (!width) return null;
    return compactDateTime(c.digits.padStart(width, '0'), c.fraction);
  }
  if (value instanceof Date) text = formatDateTime(value, utc) ?? '';
  else if (value instanceof Uint8Array) text = Buffer.from(value).toString('latin1');
  else text = String(value);
  text = trimSpaces(text);
  const c = compactNumber(text);
  return c ? compactDateTime(c.digits, c.fraction) : delimitedDateTime(text);
}

/** The text a value shows in a temporal error message. */
const shown = (value: unknown, utc: boolean): unknown =>
  value instanceof Date ? formatDateTime(value, utc) : value;

/**
 * DATE: `'2026-01-02'`, `'2026/1/2'`, `'20260102'`, `'260102'`, the number
 * 20260102, or a datetime whose time is dropped; an impossible or zero
 * date is ERR 1292. The handler receives `'YYYY-MM-DD'`.
 */
export function dateCoercer(column: string, utc: boolean): (value: unknown) => string {
  return (value) => {
    if (value instanceof Date) {
      const text = formatDate(value, utc);
      if (text) return text;
    }
    const p = readDateTime(value, utc);
    const text = p && normalDateTime({ ...p, hour: 0, minute: 0, second: 0, fraction: '' }, 0);
    // The time is dropped unrounded, but it must be a valid time.
    if (!text || (p && (p.hour > 23 || p.minute > 59 || p.second > 59))) {
      return incorrectTemporal('date', shown(value, utc), column);
    }
    return text.slice(0, 10);
  };
}

/**
 * DATETIME(fsp) and TIMESTAMP(fsp): a date with an optional time,
 * fractional seconds rounded to fsp (MySQL 8 rounds), ERR 1292 when
 * invalid or, for TIMESTAMP, outside 1970-01-01 00:00:01 ..
 * 2038-01-19 03:14:07 UTC. The handler receives `'YYYY-MM-DD HH:MM:SS[.f]'`.
 */
export function dateTimeCoercer(
  t: SqlType,
  column: string,
  utc: boolean,
): (value: unknown) => string {
  return (value) => {
    const p = readDateTime(value, utc);
    const text = p && normalDateTime(p, t.fsp);
    if (!text) return incorrectTemporal('datetime', shown(value, utc), column);
    if (t.kind === 'timestamp') {
      const full = text.length > 19 ? text.padEnd(26, '0') : text + '.000000';
      if (full < TIMESTAMP_MIN || full > TIMESTAMP_MAX) {
        return incorrectTemporal('datetime', shown(value, utc), column);
      }
    }
    return text;
  };
}

/** Seconds and fraction of a TIME read from text: null when it is not one. */
function readTime(
  value: unknown,
  utc: boolean,
): { negative: boolean; seconds: number; fraction: string } | null {
  let text: string;
  if (typeof value === 'number' || typeof value === 'bigint') {
    text = typeof value === 'number' ? numberText(value) : value.toString();
  } else if (value instanceof Date) {
    text = (formatDateTime(value, utc) ?? '').slice(11);
  } else if (value instanceof Uint8Array) {
    text = Buffer.from(value).toString('latin1');
  } else text = String(value);
  text = trimSpaces(text);
  // A whole datetime gives its time of day.
  if (/^\d{2,4}[-/]/.test(text) && text.length > 10) {
    const p = delimitedDateTime(text);
    if (!p || !normalDateTime({ ...p, fraction: '' }, 0)) return null;
    return {
      negative: false,
      seconds: p.hour * 3600 + p.minute * 60 + p.second,
      fraction: p.fraction,
    };
  }
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  const compact = compactNumber(text);
  if (compact) {
    // Right-aligned: SS, MMSS, HHMMSS, HHHMMSS.
    const d = compact.digits;
    if (d.length > 7) return null;
    const s = Number(d.slice(-2));
    const m = d.length > 2 ? Number(d.slice(-4, -2)) : 0;
    const h = d.length > 4 ? Number(d.slice(0, -4)) : 0;
    if (m > 59 || s > 59) return null;
    return { negative, seconds: h * 3600 + m * 60 + s, fraction: compact.fraction };
  }
  // [D ]H[:M[:S[.f]]] with at least a day or a colon.
  let i = 0;
  let days = 0;
  const first = digitsAt(text, 0, 8);
  if (!first) return null;
  i = first[1];
  let hours: number;
  if (i < text.length && isSpace(text.charCodeAt(i))) {
    days = first[0];
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const h = digitsAt(text, i, 3);
    if (!h) return null;
    hours = h[0];
    i = h[1];
  } else {
    hours = first[0];
    if (text[i] !== ':') return null;
  }
  let minutes = 0;
  let seconds = 0;
  let fraction = '';
  if (text[i] === ':') {
    const m = digitsAt(text, i + 1, 2);
    if (!m) return null;
    minutes = m[0];
    i = m[1];
    if (text[i] === ':') {
      const s = digitsAt(text, i + 1, 2);
      if (!s) return null;
      seconds = s[0];
      i = s[1];
      if (text[i] === '.') {
        const f = digitsAt(text, i + 1, Number.MAX_SAFE_INTEGER);
        if (!f) return null;
        fraction = text.slice(i + 1, f[1]);
        i = f[1];
      }
    }
  }
  if (i !== text.length || minutes > 59 || seconds > 59) return null;
  return { negative, seconds: (days * 24 + hours) * 3600 + minutes * 60 + seconds, fraction };
}

/**
 * TIME(fsp): `'HH:MM:SS[.f]'`, `'D HH:MM'`, `'HHMMSS'`, the number 101112,
 * within ±838:59:59 (ERR 1292 beyond or when invalid), fractional seconds
 * rounded to fsp. The handler receives `'[-]HH:MM:SS[.f]'`.
 */
export function timeCoercer(t: SqlType, column: string, utc: boolean): (value: unknown) => string {
  return (value) => {
    const r = readTime(value, utc);
    if (!r) return incorrectTemporal('time', shown(value, utc), column);
    const [units, carry] = roundFraction(r.fraction, t.fsp);
    const total = r.seconds + carry;
    if (total > MAX_TIME_SECONDS || (total === MAX_TIME_SECONDS && units > 0)) {
      return incorrectTemporal('time', shown(value, utc), column);
    }
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const frac = t.fsp ? '.' + String(units).padStart(t.fsp, '0') : '';
    const sign = r.negative && (total > 0 || units > 0) ? '-' : '';
    return `${sign}${pad2(h)}:${pad2(m)}:${pad2(s)}${frac}`;
  };
}
