import { Buffer } from 'node:buffer';
import { IllegalDoubleError } from './illegal-double-error.js';

// Up to 15 digits always fit a double exactly, so they skip BigInt.
const FAST_DIGITS = 15;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_EXACT_DIGITS = 65;

/** The integer written as decimal digits `sql[from, to)`, negated if asked: a number when safe, else an exact bigint. */
export function integerValue(
  sql: string,
  from: number,
  to: number,
  negative: boolean,
): number | bigint {
  let p = from;
  while (p < to - 1 && sql.charCodeAt(p) === 0x30) p++;
  if (to - p <= FAST_DIGITS) {
    let value = 0;
    for (; p < to; p++) value = value * 10 + (sql.charCodeAt(p) - 0x30);
    // -0 would surprise handlers comparing integers; MySQL has no negative integer zero.
    return negative && value !== 0 ? -value : value;
  }
  // BigInt parsing is superlinear in the digit count; MySQL itself keeps no
  // integer longer than DECIMAL's 65 digits and reads longer ones as DOUBLE.
  if (to - p > MAX_EXACT_DIGITS) {
    const approx = parseFloat(sql.slice(p, to));
    return negative ? -approx : approx;
  }
  const big = BigInt(sql.slice(p, to));
  if (big <= MAX_SAFE) return negative ? -Number(big) : Number(big);
  return negative ? -big : big;
}

/** Bytes of hex digits `sql[from, to)`; an odd count gets a leading zero nibble, as MySQL pads 0x literals. */
export function hexBytes(sql: string, from: number, to: number): Buffer {
  const digits = sql.slice(from, to);
  return Buffer.from((to - from) % 2 === 0 ? digits : '0' + digits, 'hex');
}

/** Bytes of binary digits `sql[from, to)`, big-endian and left-padded to whole bytes. */
export function bitBytes(sql: string, from: number, to: number): Buffer {
  const count = to - from;
  const bytes = Buffer.alloc((count + 7) >> 3);
  const pad = bytes.length * 8 - count;
  for (let i = 0; i < count; i++) {
    if (sql.charCodeAt(from + i) === 0x31) {
      const bit = pad + i;
      bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
    }
  }
  return bytes;
}

/** The double written as `sql[from, to)`; throws IllegalDoubleError when it is out of range, as MySQL does. */
export function doubleValue(sql: string, from: number, to: number): number {
  const text = sql.slice(from, to);
  const value = parseFloat(text);
  if (!Number.isFinite(value)) throw new IllegalDoubleError(text);
  return value;
}
