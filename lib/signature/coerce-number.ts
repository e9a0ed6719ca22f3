import { Buffer } from 'node:buffer';
import type { SqlType } from './sql-type.js';
import { incorrectValue, outOfRange, shownValue, tooLong, truncated } from './coercion-error.js';
import {
  decimalText,
  numberText,
  readNumericText,
  scaledInteger,
  type NumericText,
} from './numeric-text.js';

/** Largest finite FLOAT (single precision), as MySQL bounds a FLOAT parameter. */
const FLT_MAX = 3.4028234663852886e38;
/** Digits enough for any 64-bit integer, so that range checks need no more. */
const INT_DIGITS = 20;

/** The text a non-numeric value is read as (a string, bytes, a boolean). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** An integer as a handler receives it: a number when exact, else a bigint. */
export const integerValue = (n: bigint): number | bigint =>
  n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;

/** Inclusive bounds of an integer type. */
function integerBounds(t: SqlType): [bigint, bigint] {
  const bits = BigInt(t.length * 8);
  return t.unsigned ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
}

/**
 * TINYINT..BIGINT: numbers round half away from zero (MySQL reads 2.5 as
 * 3), text is read as a number, and anything outside the type's range is
 * ERR 1264; text with no number is ERR 1366, with trailing junk ERR 1265.
 */
export function integerCoercer(t: SqlType, column: string): (value: unknown) => number | bigint {
  const [min, max] = integerBounds(t);
  const minNumber = Number(min);
  const maxNumber = Number(max);
  return (value) => {
    let n: bigint | null;
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) {
        if (value < minNumber || value > maxNumber) outOfRange(column);
        return value;
      }
      // A negative number never fits UNSIGNED, even one that would round to 0.
      if (!Number.isFinite(value) || (t.unsigned && value < 0)) outOfRange(column);
      n = scaledInteger(readNumericText(numberText(value)), 0, INT_DIGITS);
    } else if (typeof value === 'bigint') {
      n = value;
    } else {
      const text = textOf(value);
      const read = readNumericText(text);
      n = scaledInteger(read, 0, INT_DIGITS);
      if (n !== null && n >= min && n <= max) {
        if (!read.found) incorrectValue('integer', shownValue(text), column);
        if (!read.complete) truncated(column);
      }
    }
    if (n === null || n < min || n > max) return outOfRange(column);
    return integerValue(n);
  };
}

/** The numeric reading of a value for DECIMAL and the floating-point types. */
function readNumber(value: number | bigint): NumericText {
  return readNumericText(typeof value === 'number' ? numberText(value) : value.toString());
}

/**
 * DECIMAL(p,s): rounded half away from zero to s places, ERR 1264 past
 * p - s integer digits; text that is not wholly a number is ERR 1366.
 * The handler receives the exact decimal text (`'12.50'`).
 */
export function decimalCoercer(t: SqlType, column: string): (value: unknown) => string {
  const intDigits = t.precision - t.scale;
  return (value) => {
    let read: NumericText;
    if (typeof value === 'number' || typeof value === 'bigint') {
      if (typeof value === 'number' && !Number.isFinite(value)) outOfRange(column);
      if (t.unsigned && value < 0) outOfRange(column);
      read = readNumber(value);
    } else {
      const text = textOf(value);
      read = readNumericText(text);
      if (!read.found || !read.complete) incorrectValue('decimal', shownValue(text), column);
    }
    const units = scaledInteger(read, t.scale, intDigits);
    if (units === null || (t.unsigned && units < 0n)) return outOfRange(column);
    return decimalText(units, t.scale);
  };
}

/** The shortest decimal that is the same single-precision float: FLOAT 1.1 reads back as 1.1. */
function shortestFloat(x: number): number {
  const f = Math.fround(x);
  for (let p = 1; p < 10; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/**
 * FLOAT and DOUBLE: text is read as a number (ERR 1265 when it is not
 * wholly one), ERR 1264 beyond the type's range; a FLOAT keeps single
 * precision, given back as its shortest decimal.
 */
export function floatCoercer(t: SqlType, column: string): (value: unknown) => number {
  const single = t.kind === 'float';
  return (value) => {
    let x: number;
    let incomplete = false;
    if (typeof value === 'number') x = value;
    else if (typeof value === 'bigint') x = Number(value);
    else {
      const read = readNumericText(textOf(value));
      x = read.found ? Number(read.text) : 0;
      incomplete = !read.found || !read.complete;
    }
    if (!Number.isFinite(x) || (single && Math.abs(x) > FLT_MAX)) outOfRange(column);
    if (incomplete) truncated(column);
    if (t.unsigned && x < 0) outOfRange(column);
    if (x === 0) return 0;
    return single ? shortestFloat(x) : x;
  };
}

/**
 * YEAR: 1901..2155, or 0; one- and two-digit years are 2000..2069 and
 * 1970..1999, and the text `'0'` / `'00'` is 2000 while the number 0 is 0.
 */
export function yearCoercer(column: string): (value: unknown) => number {
  return (value) => {
    let n: bigint | null;
    let zeroIs2000 = false;
    if (typeof value === 'number' || typeof value === 'bigint') {
      if (typeof value === 'number' && !Number.isFinite(value)) outOfRange(column);
      n = scaledInteger(readNumber(value), 0, INT_DIGITS);
    } else {
      const text = textOf(value);
      const read = readNumericText(text);
      n = scaledInteger(read, 0, INT_DIGITS);
      if (n !== null && n >= 0n && n <= 2155n) {
        if (!read.found) incorrectValue('integer', shownValue(text), column);
        if (!read.complete) truncated(column);
      }
      zeroIs2000 = read.text.replace(/^[+-]/, '').length <= 2;
    }
    if (n === null) return outOfRange(column);
    const y = Number(n);
    if (y === 0) return zeroIs2000 ? 2000 : 0;
    if (y >= 1 && y <= 69) return 2000 + y;
    if (y >= 70 && y <= 99) return 1900 + y;
    if (y >= 1901 && y <= 2155) return y;
    return outOfRange(column);
  };
}

/**
 * BIT(n): a number is its bits (rounded to an integer first), a string or
 * bytes their big-endian bits; anything wider than n bits, or negative, is
 * ERR 1406. The handler receives a number (a bigint beyond 2^53).
 */
export function bitCoercer(t: SqlType, column: string): (value: unknown) => number | bigint {
  const limit = 1n << BigInt(t.length);
  return (value) => {
    let n: bigint | null;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      if (typeof v === 'number' && !Number.isFinite(v)) tooLong(column);
      n = scaledInteger(readNumber(v), 0, INT_DIGITS);
    } else {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : toBytes(value);
      let start = 0;
      while (start < bytes.length && bytes[start] === 0) start++;
      n =
        bytes.length - start > 8
          ? null
          : bytes.length === start
            ? 0n
            : BigInt('0x' + bytes.toString('hex', start));
    }
    if (n === null || n < 0n || n >= limit) return tooLong(column);
    return integerValue(n);
  };
}

/** Bytes of a value headed for a binary type: a Buffer as it is, anything else as its text. */
export function toBytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'number') return Buffer.from(numberText(value), 'latin1');
  return Buffer.from(textOf(value), 'utf8');
}
