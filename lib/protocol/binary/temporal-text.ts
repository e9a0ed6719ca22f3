import { daysInMonth, fullYear } from '../../sql/calendar.js';
import { isAsciiPunctuation, isDigit, isSpace } from '../../sql/char-codes.js';
import type { TextCell } from '../result-set.js';

/**
 * Text cells of temporal columns read back into the fields a binary row
 * carries. The cells are what the text protocol sends (`YYYY-MM-DD
 * HH:MM:SS.mmm`, `YYYY-MM-DD`, `[-]HHH:MM:SS[.ffffff]`), which take a
 * fixed-position fast path; anything else a handler put in a temporal
 * column is read as MySQL reads a string or number it stores there (other
 * delimiters, `YYYYMMDD[HHMMSS]`, `D HH:MM:SS`, `HHMMSS`), and what cannot
 * be read, or is out of range, becomes the zero value, as MySQL converts
 * it outside strict mode. Fractions beyond six digits are cut, not rounded.
 */

/** Parsed temporal fields; one scratch instance is reused for every cell. */
export interface TemporalFields {
  negative: boolean;
  year: number;
  month: number;
  day: number;
  /** Hours of a TIME may pass 23 (up to 838); days are folded in. */
  hour: number;
  minute: number;
  second: number;
  micro: number;
}

/** A fresh set of fields, all zero. */
export function temporalFields(): TemporalFields {
  return { negative: false, year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micro: 0 };
}

const MAX_TIME_HOURS = 838;

function zero(t: TemporalFields): void {
  t.negative = false;
  t.year = t.month = t.day = t.hour = t.minute = t.second = t.micro = 0;
}

/** Text of a cell that is not already a string (numbers as MySQL's number-to-date reading sees their digits). */
function cellText(cell: Exclude<TextCell, null>): string {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(Math.abs(cell)) : '';
  return cell.toString('latin1');
}

/** `[from, from + n)` as a number when all digits, else -1. */
function digitsAt(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/** Microseconds from fraction digits at `from` (at most six read, the rest skipped); returns the end. */
function readFraction(s: string, from: number, t: TemporalFields): number {
  let p = from;
  let micro = 0;
  let scale = 100000;
  for (; p < s.length && isDigit(s.charCodeAt(p)); p++) {
    micro += (s.charCodeAt(p) - 0x30) * scale;
    scale = (scale / 10) | 0;
  }
  t.micro = micro;
  return p;
}

/**
 * Fills `t` with the date and time of a DATE/DATETIME/TIMESTAMP cell;
 * false (and all zero) when it is not a valid date-time.
 */
export function readDateTimeCell(cell: Exclude<TextCell, null>, t: TemporalFields): boolean {
  zero(t);
  const s = cellText(cell);
  if (!fastDateTime(s, t) && !lenientDateTime(s, t)) return invalid(t);
  return validDateTime(t) || invalid(t);
}

function invalid(t: TemporalFields): false {
  zero(t);
  return false;
}

/** `YYYY-MM-DD`, then optionally ` HH:MM:SS` and `.f…`: the shapes the cell encoder writes. */
function fastDateTime(s: string, t: TemporalFields): boolean {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d) return false;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  if ((year | month | day) < 0) return false;
  t.year = year;
  t.month = month;
  t.day = day;
  if (n === 10) return true;
  const sep = s.charCodeAt(10);
  if (n < 19 || (sep !== 0x20 && sep !== 0x54) || s.charCodeAt(13) !== 0x3a) return false;
  if (s.charCodeAt(16) !== 0x3a) return false;
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if ((hour | minute | second) < 0) return false;
  t.hour = hour;
  t.minute = minute;
  t.second = second;
  if (n === 19) return true;
  return s.charCodeAt(19) === 0x2e && readFraction(s, 20, t) === n;
}

/**
 * The other forms MySQL accepts: digits only (`YYYYMMDD`, `YYMMDD`, and
 * with `HHMMSS` after), or up to six numbers split by punctuation, with a
 * space or `T` before the time; a fraction after the seconds' point.
 */
function lenientDateTime(s: string, t: TemporalFields): boolean {
  const n = s.length;
  let p = 0;
  while (p < n && isSpace(s.charCodeAt(p))) p++;
  let q = p;
  while (q < n && isDigit(s.charCodeAt(q))) q++;
  const run = q - p;
  if (run === 6 || run === 8 || run === 12 || run === 14) {
    const yl = run === 8 || run === 14 ? 4 : 2;
    t.year = fullYear(digitsAt(s, p, yl), yl);
    t.month = digitsAt(s, p + yl, 2);
    t.day = digitsAt(s, p + yl + 2, 2);
    if (run >= 12) {
      t.hour = digitsAt(s, p + yl + 4, 2);
      t.minute = digitsAt(s, p + yl + 6, 2);
      t.second = digitsAt(s, p + yl + 8, 2);
      if (s.charCodeAt(q) === 0x2e) readFraction(s, q + 1, t);
    }
    return true;
  }
  const parts = [0, 0, 0, 0, 0, 0];
  let count = 0;
  for (;;) {
    const start = p;
    let v = 0;
    for (; p < n && isDigit(s.charCodeAt(p)); p++) {
      if (p - start >= 9) return false;
      v = v * 10 + (s.charCodeAt(p) - 0x30);
    }
    if (p === start) break;
    parts[count] = count === 0 ? fullYear(v, p - start) : v;
    count++;
    if (count === 6 || p >= n) break;
    const c = s.charCodeAt(p);
    if (count === 3 ? c !== 0x20 && c !== 0x54 : !isAsciiPunctuation(c)) break;
    p++;
  }
  if (count < 3) return false;
  t.year = parts[0]!;
  t.month = parts[1]!;
  t.day = parts[2]!;
  t.hour = parts[3]!;
  t.minute = parts[4]!;
  t.second = parts[5]!;
  if (count === 6 && s.charCodeAt(p) === 0x2e) readFraction(s, p + 1, t);
  return true;
}

/** MySQL's check for a storable DATETIME: zero parts allowed, no day past its month's end. */
function validDateTime(t: TemporalFields): boolean {
  if (t.year > 9999 || t.month > 12 || t.day > 31) return false;
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return false;
  return t.month === 0 || t.day === 0 || t.day <= daysInMonth(t.year, t.month);
}

/**
 * Fills `t` (negative, hour, minute, second, micro) with a TIME cell;
 * false (and zero) when unreadable. Hours past 838 are clamped to
 * 838:59:59, as MySQL stores an out-of-range TIME.
 */
export function readTimeCell(cell: Exclude<TextCell, null>, t: TemporalFields): boolean {
  zero(t);
  const s = cellText(cell);
  let p = 0;
  const n = s.length;
  while (p < n && isSpace(s.charCodeAt(p))) p++;
  let negative = typeof cell === 'number' && cell < 0;
  if (s.charCodeAt(p) === 0x2d) {
    negative = true;
    p++;
  }
  // A date-time stored in a TIME column keeps its time of day.
  if (digitsAt(s, p, 4) >= 0 && s.charCodeAt(p + 4) === 0x2d) {
    if (!readDateTimeCell(s.slice(p), t)) return false;
    t.year = t.month = t.day = 0;
    t.negative = negative;
    return true;
  }
  if (!readTimeParts(s, p, t)) return invalid(t);
  if (t.hour > MAX_TIME_HOURS) {
    t.hour = MAX_TIME_HOURS;
    t.minute = t.second = 59;
    t.micro = 0;
  }
  if (t.minute > 59 || t.second > 59) return invalid(t);
  t.negative = negative;
  return true;
}

/** `[D ]H+[:MM[:SS]]` or `[H…]HMMSS`, then an optional fraction. */
function readTimeParts(s: string, from: number, t: TemporalFields): boolean {
  const n = s.length;
  let p = from;
  let first = 0;
  for (; p < n && isDigit(s.charCodeAt(p)); p++) {
    first = first * 10 + (s.charCodeAt(p) - 0x30);
    if (first > 1e9) return false;
  }
  const digits = p - from;
  if (digits === 0) return false;
  let days = 0;
  if (s.charCodeAt(p) === 0x20 && isDigit(s.charCodeAt(p + 1))) {
    days = first;
    p++;
    first = 0;
    const start = p;
    for (; p < n && isDigit(s.charCodeAt(p)); p++) first = first * 10 + (s.charCodeAt(p) - 0x30);
    if (p - start > 2) return false;
  } else if (s.charCodeAt(p) !== 0x3a) {
    // Digits alone read from the right: SS, MM, then hours.
    t.second = first % 100;
    t.minute = Math.floor(first / 100) % 100;
    t.hour = Math.floor(first / 10000);
    if (s.charCodeAt(p) === 0x2e) readFraction(s, p + 1, t);
    return true;
  }
  t.hour = days * 24 + first;
  // Then :MM and :SS, each one or two digits, each optional.
  for (let i = 0; i < 2 && s.charCodeAt(p) === 0x3a; i++) {
    const start = ++p;
    let v = 0;
    for (; p < n && isDigit(s.charCodeAt(p)); p++) v = v * 10 + (s.charCodeAt(p) - 0x30);
    if (p === start || p - start > 2) return false;
    if (i === 0) t.minute = v;
    else t.second = v;
  }
  if (s.charCodeAt(p) === 0x2e) readFraction(s, p + 1, t);
  return true;
}
