import { Buffer } from 'node:buffer';
import type { SqlValue } from '../types.js';
import { Decimal } from './decimal.js';

/** A DATE, TIME or DATETIME value, kept as MySQL prints it (`2026-01-02 03:04:05`). */
export class Temporal {
  constructor(
    readonly type: 'DATE' | 'TIME' | 'DATETIME',
    /** The canonical text. */
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

/**
 * A value while an expression is evaluated: NULL, an exact integer (BIGINT, signed or
 * unsigned), a DOUBLE, a DECIMAL, a character string, a binary string, or a temporal.
 * Booleans are the integers 1 and 0, as in MySQL.
 */
export type Value = null | bigint | number | Decimal | string | Buffer | Temporal;

/** The smallest BIGINT. */
export const INT64_MIN = -(2n ** 63n);
/** The largest BIGINT. */
export const INT64_MAX = 2n ** 63n - 1n;
/** The largest BIGINT UNSIGNED. */
export const UINT64_MAX = 2n ** 64n - 1n;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** A value of a session (user or system variable) as the evaluator sees it. */
export function fromSqlValue(value: SqlValue | undefined): Value {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'boolean':
      return value ? 1n : 0n;
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'bigint':
    case 'string':
      return value;
    default:
      if (value === null) return null;
      return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
  }
}

/**
 * A value as handlers and user variables hold it: integers as numbers when safe (else
 * bigint), DECIMAL and DOUBLE as numbers, temporals as their text.
 */
export function toSqlValue(value: Value): SqlValue {
  if (value === null) return null;
  if (typeof value === 'bigint') {
    return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
  }
  if (value instanceof Decimal) return value.toNumber();
  if (value instanceof Temporal) return value.text;
  return value;
}

/** MySQL's text of a DOUBLE: `1e21`, not JavaScript's `1e+21`. */
export function doubleText(value: number): string {
  const text = String(value);
  return text.includes('e+') ? text.replace('e+', 'e') : text;
}

/** The value as a character string (NULL stays null). */
export function toText(value: Value): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return doubleText(value);
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Temporal) return value.text;
  return value.toString('utf8');
}

/** The value as bytes: a character string in UTF-8. */
export function toBytes(value: Value): Buffer | null {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(toText(value)!, 'utf8');
}

// Anchored and without nested repetition: linear in the input.
const NUMERIC_PREFIX = /^[ \t\n\r\f\v]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;

/** The number a string starts with, as MySQL converts strings in numeric context ('12ab' is 12, 'x' is 0). */
export function stringToDouble(text: string): number {
  const m = NUMERIC_PREFIX.exec(text);
  if (m === null) return 0;
  const value = parseFloat(m[1]!);
  return Number.isFinite(value) ? value : value > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

/** The digits of a temporal read as a number: `2026-01-02` is 20260102. */
function temporalNumber(value: Temporal): number {
  const [whole, fraction] = value.text.split('.');
  const digits = whole!.replace(/[^0-9]/g, '');
  return parseFloat(fraction === undefined ? digits : `${digits}.${fraction}`);
}

/** The value as a DOUBLE (never null for a non-null value). */
export function toDouble(value: Exclude<Value, null>): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return stringToDouble(value);
  if (value instanceof Decimal) return value.toNumber();
  if (value instanceof Temporal) return temporalNumber(value);
  return stringToDouble(value.toString('utf8'));
}

/** The value as a DECIMAL. */
export function toDecimal(value: Exclude<Value, null>): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === 'bigint') return Decimal.fromInteger(value);
  return Decimal.fromDouble(toDouble(value));
}

const INTEGER_PREFIX = /^[ \t\n\r\f\v]*([+-]?\d+)/;

/** The integer a string starts with ('1.7' is 1, 'x' is 0), clamped to BIGINT's range. */
export function stringToInteger(text: string): bigint {
  const m = INTEGER_PREFIX.exec(text);
  if (m === null) return 0n;
  const digits = m[1]!;
  // More digits than any BIGINT has: clamp without building a huge bigint.
  if (digits.replace(/^[+-]?0*/, '').length > 20)
    return digits.startsWith('-') ? INT64_MIN : UINT64_MAX;
  const value = BigInt(digits);
  return value > UINT64_MAX ? UINT64_MAX : value < INT64_MIN ? INT64_MIN : value;
}

/**
 * The value as an integer: DECIMAL and DOUBLE rounded half away from zero, strings read
 * for the integer they start with, as MySQL's CAST(.. AS SIGNED) does.
 */
export function toInteger(value: Exclude<Value, null>): bigint {
  if (typeof value === 'bigint') return value;
  if (value instanceof Decimal) return value.round();
  if (typeof value === 'string') return stringToInteger(value);
  if (Buffer.isBuffer(value)) return stringToInteger(value.toString('utf8'));
  const d = toDouble(value);
  if (d >= 2 ** 64) return UINT64_MAX;
  if (d <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.sign(d) * Math.round(Math.abs(d)));
}

/** MySQL's truth of a value: NULL is unknown, numbers are true when not zero. */
export function truth(value: Value): boolean | null {
  if (value === null) return null;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'number') return value !== 0;
  if (value instanceof Decimal) return !value.isZero();
  return toDouble(value) !== 0;
}

/** 1 for true, 0 for false, NULL for unknown. */
export function fromTruth(truthValue: boolean | null): Value {
  return truthValue === null ? null : truthValue ? 1n : 0n;
}

/** Numeric class of a value in arithmetic: strings, bytes and temporals count as DOUBLE. */
export function numericClass(value: Exclude<Value, null>): 'int' | 'decimal' | 'double' {
  if (typeof value === 'bigint') return 'int';
  if (value instanceof Decimal) return 'decimal';
  return 'double';
}
