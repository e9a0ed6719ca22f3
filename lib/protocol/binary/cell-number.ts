import type { Buffer } from 'node:buffer';
import { isDigit, isSpace } from '../../sql/char-codes.js';

/**
 * Text cells read as the numbers a binary row must carry, the way MySQL
 * converts a value it stores into a numeric column outside strict mode:
 * leading spaces skipped, the longest numeric prefix taken ('12abc' is 12,
 * 'abc' is 0), a fraction rounded half away from zero for text and half to
 * even for a double (MySQL's rint), and a value past the column's range
 * clamped to its nearest end. BIGINT text is read digit by digit into two
 * 32-bit words, exact over the whole 64-bit range with no BigInt (ids past
 * 2^53 arrive as text and are common); an exponent goes through a double.
 */

/** Largest finite FLOAT: MySQL stores anything larger as this. */
export const FLOAT_MAX = 3.4028234663852886e38;

const TWO_32 = 4294967296;
const TWO_31 = 2147483648;
const TWO_63 = 9223372036854775808;
const TWO_64 = 18446744073709551616;
/** Up to this many digits a double holds the integer exactly. */
const EXACT_DIGITS = 15;
/** 2^64 has 20 digits: more significant digits than that overflow any BIGINT. */
const MAX_INT64_DIGITS = 20;

/** Round half to even, as C's rint does for a double stored into an integer column. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const halfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

const textOf = (cell: string | Buffer): string =>
  typeof cell === 'string' ? cell : cell.toString('latin1');

/**
 * Where the number at the start of some text lies. Filled by `scanNumber`;
 * one instance, as rows are written one cell at a time.
 */
const scan = {
  negative: false,
  /** Index of the sign, or of the first digit when unsigned. */
  signAt: 0,
  /** Significant integer digits: `[intStart, intEnd)`, leading zeros skipped. */
  intStart: 0,
  intEnd: 0,
  /** Whether a fraction follows, and whether its first digit rounds up. */
  fraction: false,
  roundUp: false,
  /** End of a valid exponent, or -1 when there is none. */
  exponentEnd: -1,
};

/** Scans the numeric prefix of `s`; false when there is none. */
function scanNumber(s: string): boolean {
  const n = s.length;
  let p = 0;
  while (p < n && isSpace(s.charCodeAt(p))) p++;
  scan.signAt = p;
  const sign = s.charCodeAt(p);
  scan.negative = sign === 0x2d;
  if (scan.negative || sign === 0x2b) p++;
  const digitsFrom = p;
  while (p < n && s.charCodeAt(p) === 0x30) p++;
  scan.intStart = p;
  while (p < n && isDigit(s.charCodeAt(p))) p++;
  scan.intEnd = p;
  scan.fraction = false;
  scan.roundUp = false;
  if (s.charCodeAt(p) === 0x2e && isDigit(s.charCodeAt(p + 1))) {
    scan.fraction = true;
    scan.roundUp = s.charCodeAt(p + 1) >= 0x35;
    p++;
    while (p < n && isDigit(s.charCodeAt(p))) p++;
  }
  scan.exponentEnd = -1;
  if (p === digitsFrom) return false;
  if ((s.charCodeAt(p) | 0x20) === 0x65) {
    let q = p + 1;
    const es = s.charCodeAt(q);
    if (es === 0x2b || es === 0x2d) q++;
    if (isDigit(s.charCodeAt(q))) {
      while (q < n && isDigit(s.charCodeAt(q))) q++;
      scan.exponentEnd = q;
    }
  }
  return true;
}

/**
 * A cell as an integer for a column of up to 32 bits, before clamping:
 * rounded, and ±Infinity past 15 digits (beyond every such range anyway).
 */
export function integerCellValue(cell: string | Buffer | number): number {
  // NaN is no SQL value (the cell contract excludes it); it stores as 0.
  if (typeof cell === 'number') return cell === cell ? rint(cell) : 0;
  const s = textOf(cell);
  if (!scanNumber(s)) return 0;
  if (scan.exponentEnd >= 0) return halfAway(parseFloat(s.slice(scan.signAt, scan.exponentEnd)));
  if (scan.intEnd - scan.intStart > EXACT_DIGITS) return scan.negative ? -Infinity : Infinity;
  let v = 0;
  for (let p = scan.intStart; p < scan.intEnd; p++) v = v * 10 + (s.charCodeAt(p) - 0x30);
  if (scan.roundUp) v++;
  return scan.negative && v !== 0 ? -v : v;
}

/** An integer clamped to `[min, max]`. */
export function clampInteger(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}

/** The two's-complement halves of a 64-bit integer, each an unsigned 32-bit number. */
export interface Int64Words {
  lo: number;
  hi: number;
}

/**
 * A cell as a BIGINT (or BIGINT UNSIGNED), clamped to its range, written
 * into `out` as the two words of its little-endian binary form.
 */
export function int64CellWords(
  cell: string | Buffer | number,
  unsigned: boolean,
  out: Int64Words,
): void {
  if (typeof cell === 'number') return numberWords(cell === cell ? rint(cell) : 0, unsigned, out);
  const s = textOf(cell);
  if (!scanNumber(s)) return setWords(out, 0, 0);
  if (scan.exponentEnd >= 0) {
    return numberWords(halfAway(parseFloat(s.slice(scan.signAt, scan.exponentEnd))), unsigned, out);
  }
  // The magnitude in two words: up to 15 digits exactly in a double, the
  // rest (a 64-bit value has at most 20) scaled in; past that only the sign matters.
  const digits = scan.intEnd - scan.intStart;
  let overflow = digits > MAX_INT64_DIGITS;
  let hi = 0;
  let lo = 0;
  if (!overflow) {
    const headEnd = scan.intStart + Math.min(digits, EXACT_DIGITS);
    let head = 0;
    for (let p = scan.intStart; p < headEnd; p++) head = head * 10 + (s.charCodeAt(p) - 0x30);
    hi = Math.floor(head / TWO_32);
    lo = head - hi * TWO_32;
    if (headEnd < scan.intEnd) {
      let tail = 0;
      let scale = 1;
      for (let p = headEnd; p < scan.intEnd; p++) {
        tail = tail * 10 + (s.charCodeAt(p) - 0x30);
        scale *= 10;
      }
      // lo * scale and hi * scale stay below 2^53: scale is at most 10^5.
      lo = lo * scale + tail;
      const carry = Math.floor(lo / TWO_32);
      lo -= carry * TWO_32;
      hi = hi * scale + carry;
      overflow = hi >= TWO_32;
    }
  }
  if (scan.roundUp && !overflow && ++lo === TWO_32) {
    lo = 0;
    overflow = ++hi === TWO_32;
  }
  const zero = hi === 0 && lo === 0;
  if (unsigned) {
    if (scan.negative && !zero) return setWords(out, 0, 0);
    return overflow ? setWords(out, TWO_32 - 1, TWO_32 - 1) : setWords(out, lo, hi);
  }
  if (!scan.negative) {
    return overflow || hi >= TWO_31 ? setWords(out, TWO_32 - 1, TWO_31 - 1) : setWords(out, lo, hi);
  }
  if (overflow || hi > TWO_31 || (hi === TWO_31 && lo > 0)) return setWords(out, 0, TWO_31);
  // Two's complement of the magnitude.
  if (lo === 0) return setWords(out, 0, (TWO_32 - hi) % TWO_32);
  return setWords(out, TWO_32 - lo, TWO_32 - 1 - hi);
}

function setWords(out: Int64Words, lo: number, hi: number): void {
  out.lo = lo;
  out.hi = hi;
}

/** An integral double, clamped to the 64-bit range, as two words. */
function numberWords(v: number, unsigned: boolean, out: Int64Words): void {
  if (unsigned) {
    if (v <= 0) return setWords(out, 0, 0);
    if (v >= TWO_64) return setWords(out, TWO_32 - 1, TWO_32 - 1);
  } else {
    if (v >= TWO_63) return setWords(out, TWO_32 - 1, TWO_31 - 1);
    if (v <= -TWO_63) return setWords(out, 0, TWO_31);
  }
  // Exact for every integral double: the remainder and a division by 2^32 round nothing.
  const lo = v % TWO_32;
  const hi = Math.floor(v / TWO_32);
  setWords(out, lo < 0 ? lo + TWO_32 : lo, hi < 0 ? hi + TWO_32 : hi);
}

/**
 * A cell as a double: numbers as they are; text by its numeric prefix
 * (none is 0), a number too large for a double as the largest one.
 */
export function doubleCellValue(cell: string | Buffer | number): number {
  if (typeof cell === 'number') {
    if (Number.isFinite(cell)) return cell;
    return cell === cell ? (cell > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : 0;
  }
  const s = textOf(cell);
  const v = parseFloat(s);
  if (Number.isFinite(v)) return v;
  // parseFloat also reads `Infinity`, which MySQL does not: only digits overflow.
  if (Number.isNaN(v) || !scanNumber(s)) return 0;
  return v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

/**
 * A cell as a YEAR: 1901..2155, or 0. One- and two-digit years are 2000..2069
 * and 1970..1999; zero is 0000 as a number or four-character text, and 2000
 * as shorter text (MySQL's own rule); text with no number, and anything out
 * of range, is 0.
 */
export function yearCellValue(cell: string | Buffer | number): number {
  if (typeof cell !== 'number' && !scanNumber(textOf(cell))) return 0;
  const v = integerCellValue(cell);
  if (v < 0 || (v >= 100 && v <= 1900) || v > 2155) return 0;
  if (v === 0 && (typeof cell === 'number' || cell.length === 4)) return 0;
  if (v < 70) return v + 2000;
  if (v < 100) return v + 1900;
  return v;
}
